/**
 * User traffic in the dev server: each request goes through the simulator's edge (alongside other
 * requests, never during a restart of workerd), its answer is copied back, and the request log gets
 * one line for it.
 */
import { performance } from "node:perf_hooks";
import type { Simulator } from "../runtime/simulator.js";
import type { Gate } from "./gate.js";
import { BodyTooLarge, readBody, refuseTooLarge, type RouteHandler } from "./http-io.js";
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
    try {
      const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
      const headers = new Headers();
      for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
        // A client must never steer Miniflare (MF-Route-Override reaches any internal worker) or pose as dosim.
        if (!isInternalHeader(req.rawHeaders[index]!)) headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
      }
      const { response, bytes } = await gate.shared(async () => {
        const answer = await sim.fetch(url.href, { method, headers, redirect: "manual", ...(body !== undefined && body.length > 0 && { body }) });
        return { response: answer, bytes: Buffer.from(await answer.arrayBuffer()) };
      });
      status = response.status;
      response.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name) && !isInternalHeader(name)) res.setHeader(name, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader("set-cookie", cookies);
      res.writeHead(status);
      res.end(method === "HEAD" ? undefined : bytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        status = 413;
        refuseTooLarge(res, error);
        return;
      }
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`dosim dev could not serve this request: ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      void log.finish(ticket, { method, url: url.href, status, elapsedMs: performance.now() - started });
    }
  };
}
