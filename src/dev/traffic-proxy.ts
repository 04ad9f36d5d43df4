/**
 * User traffic in the dev server: each request goes through the simulator's edge (alongside other
 * requests, never during a restart of workerd), its answer is copied back, and the request log gets
 * one line for it. Bodies stream both ways: a request body is passed on as it arrives (counted
 * against the platform's 100 MB limit, 413 past it) and an answer is piped back as workerd sends it.
 *
 * What is still held whole, and why: a Durable Object's answer (except an event stream or a
 * WebSocket upgrade) is read to its end inside workerd before its status goes out, so that a reset
 * that cuts it turns into the documented 503 with `durableObjectReset: true` instead of a 200 with a
 * cut body (see `wholeBody` in version-runtime.worker.ts). That costs the answer's size in workerd
 * per request in flight, not in this process.
 */
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ServerResponse } from "node:http";
import type { Simulator } from "../runtime/simulator.js";
import type { Gate } from "./gate.js";
import { BodyTooLarge, refuseTooLarge, streamBody, type RouteHandler } from "./http-io.js";
import { isInternalHeader } from "./request-guard.js";
import type { RequestLog } from "./request-log.js";

/** Response headers Node's server sets itself, or that no longer describe the body we send. */
const HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "set-cookie"]);

/** The route that serves user traffic through the edge; a failure answers 502. */
export function proxyTraffic(deps: { sim: Simulator; gate: Gate; log: RequestLog }): RouteHandler {
  const { sim, gate, log } = deps;
  return async (req, res, url) => {
    const started = performance.now();
    const method = req.method ?? "GET";
    const ticket = log.begin();
    let status = 502;
    let tooLarge = (): boolean => false;
    try {
      const upload = method === "GET" || method === "HEAD" ? undefined : streamBody(req);
      if (upload !== undefined) tooLarge = upload.tooLarge;
      const headers = new Headers();
      for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
        // A client must never steer Miniflare (MF-Route-Override reaches any internal worker) or pose as dosim.
        if (!isInternalHeader(req.rawHeaders[index]!)) headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
      }
      const init = { method, headers, redirect: "manual", ...(upload !== undefined && { body: upload.body, duplex: "half" }) } as RequestInit;
      // An event stream never ends: it is piped outside the gate, so it cannot hold up a restart.
      const endless = await gate.shared(async () => {
        const response = await sim.fetch(url.href, init);
        status = response.status;
        writeHead(res, response);
        if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) return response;
        await sendBody(res, response, method);
        return undefined;
      });
      if (endless !== undefined) await sendBody(res, endless, method);
    } catch (error) {
      if (error instanceof BodyTooLarge || tooLarge()) {
        status = 413;
        refuseTooLarge(res, error instanceof BodyTooLarge ? error : new BodyTooLarge());
        return;
      }
      if (res.headersSent) return void res.destroy(); // the answer broke off after its status went out
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`dosim dev could not serve this request: ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      void log.finish(ticket, { method, url: url.href, status, elapsedMs: performance.now() - started });
    }
  };
}

/** Copies the answer's status and headers (not the hop-by-hop ones, nor dosim's own). */
function writeHead(res: ServerResponse, response: Response): void {
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name) && !isInternalHeader(name)) res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.writeHead(response.status);
}

/** Pipes the answer's body to the client as it comes (none for HEAD). */
async function sendBody(res: ServerResponse, response: Response, method: string): Promise<void> {
  if (method === "HEAD" || response.body === null) {
    await response.body?.cancel();
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>), res);
}
