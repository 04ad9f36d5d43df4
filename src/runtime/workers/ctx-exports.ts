/**
 * `ctx.exports` (on from 2025-11-17, see model/ctx-exports.ts) holds workerd's loopback bindings
 * to the Worker's own exports. For a Durable Object class it is that class's namespace, which in a
 * version worker reaches the calling version's own instances, past the routing every configured
 * binding goes through: an object reached that way would run on the caller's version, not the one
 * the deployment assigns it, and its calls would go unrecorded. Here each such entry is the class's
 * routing binding instead, the one its configured binding (or dosim's, for a class no binding
 * names) gets. Other entries (entrypoints) stay as workerd made them.
 */
import { identityOf, type Env } from "./invocation-trace.js";

/** `ctx` with its `exports` routed as the module comment says; unchanged where it has none. */
export function withRoutedExports<T extends object>(ctx: T, env: Env): T {
  const routing = identityOf(env).exports;
  const original = (ctx as { exports?: unknown }).exports;
  if (routing === undefined || typeof original !== "object" || original === null) return ctx;
  const exports = new Proxy(original, {
    get: (target, property) => (typeof property === "string" && Object.hasOwn(routing, property) ? env[routing[property]!] : Reflect.get(target, property)),
  });
  // An own property of this context object shadows workerd's accessor for the user's code only.
  Object.defineProperty(ctx, "exports", { value: exports, configurable: true, enumerable: true });
  return ctx;
}
