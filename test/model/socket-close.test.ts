/**
 * How a reset closes a Durable Object's WebSockets. Sources: RFC 6455 §7.1.5 (1006: closed without
 * a Close frame), workerd src/workerd/api/web-socket.c++ (a peer gone without a Close frame is
 * reported as 1006), cloudflare-docs PR 32975 "Document shutdown connection errors" (an instance
 * replaced closes its WebSockets and clients reconnect; hibernation keeps connections open).
 */
import { describe, expect, it } from "vitest";
import { ABNORMAL_CLOSURE, endClosesSockets, resetSocketClose } from "../../src/model/socket-close.js";

describe("a reset's WebSocket close", () => {
  it("is 1006 with no reason: the runtime drops the socket without a Close frame", () => {
    expect(ABNORMAL_CLOSURE).toBe(1006);
    expect(resetSocketClose()).toEqual({ code: 1006, reason: "" });
  });

  it("happens for every end of an instance but hibernation", () => {
    expect(endClosesSockets("code-update")).toBe(true);
    expect(endClosesSockets("deadline")).toBe(true);
    expect(endClosesSockets("evicted")).toBe(true);
    expect(endClosesSockets("hibernated")).toBe(false);
  });
});
