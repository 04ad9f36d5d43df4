/**
 * The control worker: hosts the control plane Durable Object and gives the Node host one HTTP API
 * over it (`POST /api/<method>` with a JSON array of arguments), plus trace draining and bulk
 * traffic generated inside workerd. Every call must carry the run's secret (see run-secret.ts).
 */
import { CONTROL_OBJECT_NAME, type Topology, type TraceEvent } from "./protocol.js";
import type { BulkResult, BulkSpec } from "./control-api.js";
import { carriesRunSecret, refusedWithoutSecret } from "./run-secret.js";
import { drainVersionTraces, traceStash } from "./trace-stash.js";

export { ControlPlane } from "./control-plane.worker.js";

type Env = Record<string, unknown> & {
  readonly CONTROL: DurableObjectNamespace;
  readonly EDGE_CONTROL: { bulk(spec: BulkSpec): Promise<BulkResult> };
  readonly DOSIM_TOPOLOGY: Topology;
};

/** Control plane methods the host may call. */
const METHODS = new Set([
  "snapshot",
  "routing",
  "upload",
  "putSecret",
  "deploy",
  "fullDeploy",
  "rollback",
  "advance",
  "declareObjects",
  "idle",
  "persistAll",
  "journal",
  "loadSlot",
]);

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

/** Every version's trace events not yet drained, after those stashed earlier (see trace-stash.ts). */
async function drainTraces(env: Env): Promise<TraceEvent[]> {
  const fresh = await drainVersionTraces(env);
  const stash = traceStash();
  // Stashed events come first: they are older (virtual time never goes back).
  return [...stash.splice(0, stash.length), ...fresh];
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // Only the Node host may call: workerd's port is open to every local process.
    if (!carriesRunSecret(request, env)) return refusedWithoutSecret();
    const path = new URL(request.url).pathname;
    try {
      if (path === "/traces") return json(await drainTraces(env));
      if (path === "/bulk") return json(await env.EDGE_CONTROL.bulk((await request.json()) as BulkSpec));
      const method = path.startsWith("/api/") ? path.slice("/api/".length) : "";
      if (!METHODS.has(method)) return json({ error: `unknown control method ${method}` }, 404);
      const args = (await request.json()) as unknown[];
      const control = env.CONTROL.get(env.CONTROL.idFromName(CONTROL_OBJECT_NAME)) as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      return json({ value: await control[method]!(...args) });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      return json({ error: message }, 500);
    }
  },
};
