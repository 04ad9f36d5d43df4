/**
 * What a WebSocket client sees when the Durable Object holding its socket is reset (its code
 * updated, or its instance ended by dosim's reset): the runtime drops the instance and with it
 * every socket it holds, hibernatable (`ctx.acceptWebSocket`) or not (`ws.accept()`), without
 * sending a Close frame. The client then reports 1006 with an empty reason, which RFC 6455 §7.1.5
 * reserves for a connection closed without a Close frame (workerd web-socket.c++ reports the same
 * code for a peer that disconnects without one). The server-side text "Durable Object connection
 * closed because the object was reset." is an error callers see, not a close reason sent to the
 * client (cloudflare-docs PR 32975, "Document shutdown connection errors": clients reconnect, and
 * must not expect that text as a close reason). Hibernation, by contrast, keeps sockets open.
 */

/** A WebSocket close as its client sees it. */
export interface SocketClose {
  readonly code: number;
  readonly reason: string;
}

/** The close code for a connection that ended without a Close frame (RFC 6455 §7.1.5). */
export const ABNORMAL_CLOSURE = 1006;

/** How a reset of the object closes each of its sockets, hibernatable or not. */
export function resetSocketClose(): SocketClose {
  return { code: ABNORMAL_CLOSURE, reason: "" };
}

/** Whether an instance ending for `reason` closes its sockets (hibernation keeps them open). */
export function endClosesSockets(reason: "hibernated" | "evicted" | "code-update" | "deadline"): boolean {
  return reason !== "hibernated";
}
