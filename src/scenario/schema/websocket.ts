/**
 * The `socket` step: opens a WebSocket to a path of the Worker (usually one that reaches a Durable
 * Object), sends messages on it, and expects the messages it receives and how it closes — for
 * example that a deployment resetting the object closes it as the platform does (1006, no reason).
 *
 *   - socket: feed
 *     open: /kitchen/socket
 *     send: [hello]
 *     expect: { messages: ["a:hello"] }
 *   - deploy: B
 *   - socket: feed
 *     expect: { closed: { code: 1006, reason: "" } }
 */
import { z } from "zod";
import { StringMap } from "./common.js";

const SocketClose = z
  .strictObject({
    code: z.int().min(1000).max(4999).describe("The close code the client sees (1006: dropped without a Close frame, as a reset does)."),
    reason: z.string().optional().describe("The close reason the client sees (default: not checked)."),
  })
  .describe("How the socket closed, as its client sees it.");

/** What a `socket` step expects. */
export const SocketExpect = z
  .strictObject({
    messages: z.array(z.string()).optional().describe("The next messages the socket receives, in order (text frames)."),
    closed: z
      .union([z.boolean(), SocketClose], { error: "closed is true, false (still open), or { code, reason }" })
      .optional()
      .describe("Whether the socket is closed by now (waiting for its close), and optionally with which code and reason."),
  })
  .describe("What the socket must receive, and whether and how it closes.");

/** The fields of a `socket` step. */
export const socketShape = {
  socket: z.string().min(1).describe("The socket's name: `open` opens it under this name, later steps use it by name."),
  open: z.string().regex(/^\//, { error: "a socket path starts with /" }).optional().describe("Opens the socket: an Upgrade: websocket request to this path."),
  headers: StringMap.optional().describe("Extra headers of the opening request."),
  send: z.array(z.string()).optional().describe("Text messages to send, in order, once it is open."),
  close: z.boolean().optional().describe("Close it from the client (code 1000) after sending."),
  expect: SocketExpect.optional(),
};
