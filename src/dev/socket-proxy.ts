/**
 * WebSocket upgrades in the dev server: an `Upgrade: websocket` request goes through the simulator's
 * edge like any request (same header rules, same routing); when the Worker answers 101 with a
 * socket, the client's connection is upgraded and frames are relayed both ways until either side
 * closes. A close without a Close frame (a Durable Object reset drops its sockets) reaches the client
 * as a dropped connection, which it reports as 1006, as on the platform. Any other answer is written
 * back as a plain HTTP response.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { performance } from "node:perf_hooks";
import { WebSocketServer } from "ws";
import { loadMiniflare } from "../build/cjs-packages.js";
import type { Simulator } from "../runtime/simulator.js";
import type { Gate } from "./gate.js";
import { isInternalHeader, namesThisServer, requestUrl } from "./request-guard.js";
import type { RequestLog } from "./request-log.js";
import { API_PREFIX } from "./state-dir.js";

/** What the upgrade route needs from the server. */
export interface SocketProxyDeps {
  readonly sim: Simulator;
  readonly gate: Gate;
  readonly log: RequestLog;
  readonly served: () => ReadonlySet<string>;
  readonly write: (line: string) => void;
}

/** The socket a Worker returned in a 101 answer (Miniflare's WebSocket). */
type WorkerSocket = Parameters<ReturnType<typeof loadMiniflare>["coupleWebSocket"]>[1];

/** Serves `upgrade` events of `http`: WebSocket traffic to the Worker. Returns what drops every open socket (at a stop). */
export function proxyUpgrades(http: Server, deps: SocketProxyDeps): () => void {
  // The handshake with the client only; which subprotocol to confirm is the Worker's choice.
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: (_offered, req) => (req as UpgradeRequest).chosenProtocol ?? false });
  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    upgrade(req as UpgradeRequest, socket, head, sockets, deps).catch((error: unknown) => {
      deps.write(`[dosim] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      writePlain(socket, 500, "dosim dev failed to serve this request; see its log.");
    });
  });
  return () => {
    for (const client of sockets.clients) client.terminate();
  };
}

/** An upgrade request, with the subprotocol the Worker confirmed once it answered. */
type UpgradeRequest = IncomingMessage & { chosenProtocol?: string };

async function upgrade(req: UpgradeRequest, socket: Duplex, head: Buffer, sockets: WebSocketServer, deps: SocketProxyDeps): Promise<void> {
  const url = requestUrl(req);
  if (url === undefined) return writePlain(socket, 400, "Bad request: the request target or the Host header is malformed.");
  if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`) || (url.pathname.startsWith("/cdn-cgi/") && !namesThisServer(req, url, deps.served()))) {
    return writePlain(socket, 403, "Forbidden: dosim's own endpoints take no WebSocket.");
  }
  const started = performance.now();
  const ticket = deps.log.begin();
  let status = 502;
  try {
    const headers = new Headers();
    for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
      if (!isInternalHeader(req.rawHeaders[index]!)) headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
    }
    // Only the handshake runs under the gate: a socket may stay open across restarts of workerd.
    const response = await deps.gate.shared(() => deps.sim.fetch(url.href, { method: req.method ?? "GET", headers, redirect: "manual" }));
    status = response.status;
    const workerSocket = (response as Response & { webSocket?: WorkerSocket | null }).webSocket;
    if (status !== 101 || workerSocket == null) return await writeResponse(socket, response);
    const protocol = response.headers.get("sec-websocket-protocol");
    if (protocol !== null) req.chosenProtocol = protocol;
    sockets.handleUpgrade(req, socket, head, (client) => {
      loadMiniflare()
        .coupleWebSocket(client, workerSocket)
        .catch(() => client.terminate());
    });
  } catch (error) {
    writePlain(socket, 502, `dosim dev could not serve this request: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    void deps.log.finish(ticket, { method: req.method ?? "GET", url: url.href, status, elapsedMs: performance.now() - started });
  }
}

/** Writes a Worker's non-101 answer on the raw socket and closes it. */
async function writeResponse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText || "Response"}`];
  response.headers.forEach((value, name) => {
    if (!["connection", "content-length", "transfer-encoding", "keep-alive"].includes(name) && !isInternalHeader(name)) lines.push(`${name}: ${value}`);
  });
  lines.push(`content-length: ${body.length}`, "connection: close", "", "");
  socket.end(Buffer.concat([Buffer.from(lines.join("\r\n")), body]));
}

function writePlain(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${status === 400 ? "Bad Request" : status === 403 ? "Forbidden" : status === 500 ? "Internal Server Error" : "Bad Gateway"}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
