/**
 * Runs inside every version worker, around the user's code: strips dosim's bindings from the env
 * the user sees, records one trace event per invocation (invocation-trace.ts), and wraps each
 * Durable Object class so the control plane can check an instance's version when it starts and
 * shut it down on demand (object-class.ts).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { type TraceEvent, type VersionSync } from "./protocol.js";
import { isolateState } from "./isolate-state.js";
import { runBatch, type Batch, type BatchOutcome } from "./bulk-batch.js";
import { watchStandardSockets } from "./standard-sockets.js";
import { withRoutedExports } from "./ctx-exports.js";
import { httpEvent, setClock, traced, userEnv, type Env } from "./invocation-trace.js";

export { wrapDurableObjectClass } from "./object-class.js";

const shared = isolateState();
watchStandardSockets();

type Handler = { fetch?: (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response> | Response } & Record<string, unknown>;

/** The wrapped default export's fetch, for bulk traffic run inside this isolate. */
let wrappedFetch: ((request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>) | undefined;

/** Wraps the user's default export (an object of handlers or a WorkerEntrypoint class). */
export function wrapDefaultExport(user: unknown): unknown {
  if (typeof user === "function") {
    const UserEntrypoint = user as new (ctx: ExecutionContext, env: Env) => Handler;
    const Wrapped = class extends (UserEntrypoint as new (ctx: ExecutionContext, env: Env) => object) {
      #env: Env;
      constructor(ctx: ExecutionContext, env: Env) {
        super(withRoutedExports(ctx, env), userEnv(env));
        this.#env = env;
      }
      async fetch(request: Request): Promise<Response> {
        const parent = UserEntrypoint.prototype.fetch as (this: unknown, request: Request) => Promise<Response>;
        return traced(this.#env, httpEvent(request), () => parent.call(this, request));
      }
    };
    wrappedFetch = (request, env, ctx) => new Wrapped(ctx, env).fetch(request);
    return Wrapped;
  }
  const handlers = user as Handler;
  // Every other handler (scheduled, queue, ...) is called as (event, env, ctx): it gets the env the
  // user sees too, without dosim's bindings and, in a spare slot, with the version's own.
  const others = Object.entries(handlers).map(([name, handler]) => [
    name,
    typeof handler === "function" ? (event: unknown, env: Env, ctx: ExecutionContext) => handler.call(handlers, event, userEnv(env), withRoutedExports(ctx, env)) : handler,
  ]);
  const wrapped = {
    ...Object.fromEntries(others),
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      if (handlers.fetch === undefined) return new Response("This Worker has no fetch handler", { status: 500 });
      return traced(env, httpEvent(request), () => handlers.fetch!.call(handlers, request, userEnv(env), withRoutedExports(ctx, env)));
    },
  };
  wrappedFetch = (request, env, ctx) => wrapped.fetch(request, env, ctx);
  return wrapped;
}

/** The entrypoint the control plane uses to read traces and set the clock of this isolate. */
export class DosimVersionControl extends WorkerEntrypoint {
  /** Returns and forgets the trace events recorded so far. */
  drainTraces(): TraceEvent[] {
    return shared.traces.splice(0, shared.traces.length);
  }

  /** Tells this isolate the virtual time and that object assignments may have changed. */
  sync(update: VersionSync): void {
    setClock(update.nowMs);
    shared.epoch = update.epoch;
  }

  /**
   * Runs a batch of bulk requests the edge routed to this version through the same wrapped fetch
   * handler as requests from outside, in this isolate: one RPC per batch instead of one
   * service-binding hop per request.
   */
  runBatch(batch: Batch): Promise<BatchOutcome> {
    const fetch = wrappedFetch;
    if (fetch === undefined) throw new Error("dosim: this version has no default export to send bulk traffic to");
    return runBatch((request) => fetch(request, this.env as Env, this.ctx), batch);
  }
}
