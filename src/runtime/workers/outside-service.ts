/**
 * What a version's service binding to another Worker reaches. dosim runs one Worker, so the Worker
 * such a binding names is never running beside it; as under `wrangler dev` when that Worker is not
 * running locally, the version still starts, a request through the binding answers 503 and an RPC
 * call through it throws, both saying which Worker is missing. The binding's designator carries
 * its names as props (see outsideServiceDesignator in version-options.ts).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { OutsideServiceProps } from "./protocol.js";

/** Methods a caller may look up that are not RPC calls (what a Fetcher or a handler check reads). */
const NOT_RPC = new Set<string | symbol>(["then", "fetch", "connect", "constructor", "ctx", "env", "props"]);

/** What a request or call through the binding is told. */
export function outsideServiceMessage({ service, binding, worker }: OutsideServiceProps): string {
  return `Worker "${service}" not found: dosim runs only "${worker}", so the service binding ${binding} reaches no Worker.`;
}

export class DosimOutsideService extends WorkerEntrypoint<unknown, OutsideServiceProps> {
  constructor(ctx: ExecutionContext<OutsideServiceProps>, env: unknown) {
    super(ctx, env);
    // Any other method is an RPC call to the missing Worker: it throws, saying so.
    return new Proxy(this, {
      get(target, property, receiver) {
        if (Reflect.has(target, property) || NOT_RPC.has(property)) return Reflect.get(target, property, receiver) as unknown;
        return () => {
          throw new Error(outsideServiceMessage(target.ctx.props));
        };
      },
    });
  }

  override fetch(): Response {
    return new Response(outsideServiceMessage(this.ctx.props), { status: 503 });
  }
}
