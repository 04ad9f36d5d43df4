/** Small HTTP pieces of the dev server: reading a request body, and the shape of a route handler. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_REQUEST_BODY_BYTES } from "../model/request-limits.js";

/** Serves one request of a route, given the request's parsed URL. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** A body larger than the platform accepts. */
export class BodyTooLarge extends Error {
  constructor() {
    super(`The request body is larger than ${MAX_REQUEST_BODY_BYTES / 1024 / 1024} MB, the most Cloudflare accepts; send a smaller one.`);
  }
}

/** Whether the request announces a body larger than the platform accepts. */
export function announcesTooLarge(req: IncomingMessage): boolean {
  const length = Number(req.headers["content-length"] ?? 0);
  return Number.isFinite(length) && length > MAX_REQUEST_BODY_BYTES;
}

/** The whole body of `req`; throws {@link BodyTooLarge} as soon as it passes the platform's limit. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  if (announcesTooLarge(req)) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The body of `req` as a stream that passes each chunk on as it arrives (nothing is buffered whole)
 * and fails with {@link BodyTooLarge} once more than the platform's limit went through; a body that
 * announces a larger Content-Length is refused before it is read. `tooLarge()` says whether the
 * limit was hit, for a caller that sees only the failure it caused downstream.
 */
export function streamBody(req: IncomingMessage): { body: ReadableStream<Uint8Array>; tooLarge: () => boolean } {
  if (announcesTooLarge(req)) throw new BodyTooLarge();
  const chunks = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let size = 0;
  let over = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done === true) return controller.close();
      size += value.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        over = true;
        return controller.error(new BodyTooLarge());
      }
      controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.length));
    },
    cancel() {
      req.resume(); // the rest is not needed: let it drain
    },
  });
  return { body, tooLarge: () => over };
}

/** The body of `req`, or undefined once a too-large body was answered 413 (and the connection closed). */
export async function readBodyOrRefuse(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  try {
    return await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    refuseTooLarge(res, error);
    return undefined;
  }
}

/** Answers 413 with the reason, and closes the connection (the rest of the body is not read). */
export function refuseTooLarge(res: ServerResponse, error: BodyTooLarge): void {
  if (!res.headersSent) res.writeHead(413, { "content-type": "text/plain", connection: "close" });
  res.end(`${error.message}\n`);
}
