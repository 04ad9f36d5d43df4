/** Small HTTP pieces of the dev server: reading a request body, and the shape of a route handler. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Larger bodies are refused, so a runaway client cannot exhaust the server's memory. */
const MAX_BODY_BYTES = 100 * 1024 * 1024;

/** Serves one request of a route, given the request's parsed URL. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** The whole body of `req`; thrown when it passes 100 MiB. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
