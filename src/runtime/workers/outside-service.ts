/**
 * What a version's service binding, or Durable Object binding, to another Worker reaches. dosim
 * runs one Worker, so the Worker such a binding names is never running beside it; as under
 * `wrangler dev` when that Worker is not running locally, the version still starts, a request
 * through the binding answers 503 and an RPC call through it throws, both saying which Worker is
 * missing. A service binding's designator carries its names as props (userServiceBindings in
 * version-options.ts); an object's class is made with its message (outside-objects.ts).
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import type { OutsideServiceProps } from "./protocol.js";

/** Methods a caller may look up that are not RPC calls (what a Fetcher or a handler check reads). */
const NOT_RPC = new Set<string | symbol>(["then", "fetch", "connect", "constructor", "ctx", "env", "props"]);

/** What a request or call through the binding is told. */
export function outsideServiceMessage({ service, binding, worker }: OutsideServiceProps): string {
  return `Worker "${service}" not found: dosim runs only "${worker}", so the service binding ${binding} reaches no Worker.`;
}

/** Calls `fail` for every property that is not the target's own or a lookup that is not an RPC call. */
function failingCalls<T extends object>(target: T, fail: () => never): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (Reflect.has(object, property) || NOT_RPC.has(property)) return Reflect.get(object, property, receiver) as unknown;
      return fail;
    },
  });
}

/** A Durable Object class of a Worker dosim does not run: every request and call fails with `message`. */
export function outsideObjectClass(message: string): new (ctx: DurableObjectState, env: unknown) => DurableObject<unknown> {
  return class DosimOutsideObject extends DurableObject<unknown> {
    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env);
      return failingCalls(this, () => {
        throw new Error(message);
      });
    }

    override fetch(): Response {
      return new Response(message, { status: 503 });
    }
  };
}

export class DosimOutsideService extends WorkerEntrypoint<unknown, OutsideServiceProps> {
  constructor(ctx: ExecutionContext<OutsideServiceProps>, env: unknown) {
    super(ctx, env);
    // Any other method is an RPC call to the missing Worker: it throws, saying so.
    return failingCalls(this, () => {
      throw new Error(outsideServiceMessage(ctx.props));
    });
  }

  override fetch(): Response {
    return new Response(outsideServiceMessage(this.ctx.props), { status: 503 });
  }
}
