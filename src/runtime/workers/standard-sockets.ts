/**
 * Tells which WebSockets a Durable Object holds with the standard API (`ws.accept()`), which keeps
 * its instance from hibernating (docs "Lifecycle of a Durable Object"; src/model/lifecycle.ts),
 * from the hibernatable ones (`ctx.acceptWebSocket(ws)`), which do not. Runs in a version isolate:
 * it notes the two ends of every `WebSocketPair` and every socket `accept()` is called on, so the
 * wrapper can ask, of the socket an answer hands to its client, whether the object accepted the
 * other end itself.
 */

const peers = new WeakMap<object, object>();
const accepted = new WeakSet<object>();

let installed = false;

/** Starts noting pairs and accepts in this isolate (once). */
export function watchStandardSockets(): void {
  if (installed) return;
  installed = true;
  const global = globalThis as unknown as { WebSocketPair: new () => Record<0 | 1, WebSocket>; WebSocket: { prototype: WebSocket } };
  const Original = global.WebSocketPair;
  const Watched = class WebSocketPair extends Original {
    constructor() {
      super();
      peers.set(this[0], this[1]);
      peers.set(this[1], this[0]);
    }
  };
  global.WebSocketPair = Watched;
  const accept = global.WebSocket.prototype.accept;
  global.WebSocket.prototype.accept = function (this: WebSocket, ...args: unknown[]) {
    accepted.add(this);
    return (accept as (...args: unknown[]) => void).apply(this, args);
  };
}

/** Whether the socket an answer hands to its client has its other end accepted with `accept()`. */
export function servedStandardSocket(response: Response): boolean {
  const client = (response as { webSocket?: WebSocket | null }).webSocket;
  if (client == null) return false;
  const server = peers.get(client);
  return server !== undefined && accepted.has(server);
}
