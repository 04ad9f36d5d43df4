/**
 * The bundled example Worker (configured by ./wrangler.toml): a greeting, and a Counter Durable
 * Object that shows what a new version keeps (its stored `count`) and what it loses (the in-memory
 * `hits` and start time).
 *
 *   GET /                 → "<GREETING> from version <tag or id>"
 *   GET|POST /objects/foo → the Counter named "foo", as JSON
 *
 * `/objects/foo?wait=20` makes the object hold the request for 20 ms before counting it, so a
 * deployment can reset the object while the request is in flight (the caller then gets 503).
 *
 * Every answer's `Worker-Version` header names the Worker version that served the request; an
 * object's own version is in its JSON (`version`), and may differ during a rollout.
 */
import { DurableObject } from "cloudflare:workers";

interface VersionMetadata {
  readonly id: string;
  readonly tag?: string;
  readonly timestamp?: string;
}

interface Env {
  readonly GREETING: string;
  readonly COUNTER: DurableObjectNamespace;
  readonly CF_VERSION_METADATA: VersionMetadata;
}

const VERSION_HEADER = "Worker-Version";

/** A counter per object: `count` is stored, `hits` and `startedAt` live only in memory. */
export class Counter extends DurableObject<Env> {
  private hits = 0;
  private readonly startedAt = new Date().toISOString();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, count INTEGER NOT NULL)");
  }

  /** Adds one to the stored count and the in-memory hits; synchronous, so no other request interleaves. */
  private bump(): number {
    this.hits += 1;
    return this.ctx.storage.sql
      .exec<{ count: number }>("INSERT INTO counter (id, count) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET count = count + 1 RETURNING count")
      .one().count;
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const name = url.pathname.split("/").pop() ?? "";
    const waitMs = Number(url.searchParams.get("wait") ?? 0);
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, 10_000)));
    const count = this.bump();
    const version = this.env.CF_VERSION_METADATA;
    const body = {
      object: decodeURIComponent(name),
      id: this.ctx.id.toString(),
      version: { id: version.id, tag: version.tag ?? null },
      count,
      hits: this.hits,
      startedAt: this.startedAt,
    };
    return Response.json(body);
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const version = env.CF_VERSION_METADATA;
    if (url.pathname === "/" && request.method === "GET") {
      const label = version.tag !== undefined && version.tag !== "" ? version.tag : version.id;
      return new Response(`${env.GREETING} from version ${label}`, { headers: { [VERSION_HEADER]: version.id } });
    }
    const match = /^\/objects\/([^/]+)$/.exec(url.pathname);
    if (match !== null && (request.method === "GET" || request.method === "POST")) {
      const stub = env.COUNTER.get(env.COUNTER.idFromName(decodeURIComponent(match[1]!)));
      try {
        const answer = await stub.fetch(request);
        const response = new Response(answer.body, answer);
        response.headers.set(VERSION_HEADER, version.id);
        return response;
      } catch (error) {
        // A deployment reset the object while this request was in flight: say so, and let the caller retry.
        const reset = (error as { durableObjectReset?: boolean }).durableObjectReset === true;
        const message = error instanceof Error ? error.message : String(error);
        return Response.json({ error: message, durableObjectReset: reset }, { status: reset ? 503 : 500 });
      }
    }
    return new Response("Not found", { status: 404 });
  },
};
