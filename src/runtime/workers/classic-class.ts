/**
 * Gives a classic Durable Object class (`constructor(state, env)`, no `extends DurableObject`) a
 * `DurableObject` shell. workerd only accepts RPC calls on classes that extend `DurableObject`, and
 * dosim resets an instance with one; the shell constructs the user's instance and hands it every
 * handler workerd delivers (fetch, alarm, WebSocket events), so the user's code runs as written.
 * The user's own methods stay out of reach of RPC, as they are on the platform.
 */
import { DurableObject } from "cloudflare:workers";

/** The handlers workerd calls on a Durable Object instance. */
const HANDLERS = ["fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"] as const;

type Instance = Record<string, unknown>;

/** The class itself when it extends `DurableObject`, else a shell around it. */
export function asResettableClass(user: unknown, className: string): unknown {
  if (typeof user !== "function") throw new Error(`dosim: the Worker's module exports no class ${className}, which its config binds`);
  const prototype = (user as { prototype: Instance }).prototype;
  if (prototype instanceof DurableObject) return user;
  const Classic = user as new (state: DurableObjectState, env: unknown) => Instance;
  const inner = new WeakMap<object, Instance>();
  class Shell extends DurableObject {
    constructor(ctx: DurableObjectState, env: never) {
      super(ctx, env);
      inner.set(this, new Classic(ctx, env));
    }
  }
  for (const name of HANDLERS) {
    if (typeof prototype[name] !== "function") continue;
    Object.defineProperty(Shell.prototype, name, {
      configurable: true,
      writable: true,
      value(this: object, ...args: unknown[]) {
        const instance = inner.get(this)!;
        return (instance[name] as (...args: unknown[]) => unknown).apply(instance, args);
      },
    });
  }
  Object.defineProperty(Shell, "name", { value: className });
  return Shell;
}
