/**
 * dosim's bridge worker (its own compatibility date): answers `POST /<method>` with a JSON array
 * of arguments by calling that control plane method over RPC. Version isolates whose compatibility
 * date predates RPC reach the control plane through it (see control-call.ts). The same module runs
 * the object router (object-router.ts), which forwards the routing bindings' calls to objects, and
 * answers a version's bindings to other Workers (outside-service.ts).
 */
import { BRIDGED_METHODS } from "./control-call.js";
import { CONTROL_OBJECT_NAME } from "./protocol.js";

export { DosimObjectRouter } from "./object-router.js";
export { DosimOutsideService, outsideObjectClass } from "./outside-service.js";

type Env = { readonly CONTROL: DurableObjectNamespace };

const METHODS = new Set<string>(BRIDGED_METHODS);

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const method = new URL(request.url).pathname.slice(1);
    if (!METHODS.has(method)) return Response.json({ error: `unknown control method ${method}` }, { status: 404 });
    try {
      const args = (await request.json()) as unknown[];
      const stub = env.CONTROL.get(env.CONTROL.idFromName(CONTROL_OBJECT_NAME)) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      return Response.json({ value: await stub[method]!(...args) });
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
  },
};
