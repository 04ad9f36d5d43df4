/**
 * Whether a Worker's compatibility settings enable JavaScript RPC on its service bindings and
 * Durable Object stubs: on from 2024-04-03, or with the `rpc` flag, off with `no_rpc` (workerd's
 * `jsRpc` compatibility flag).
 */

/** The date from which JS RPC is on by default. */
export const JS_RPC_DATE = "2024-04-03";

/** True when a Worker with this date and these flags can make RPC calls. */
export function hasJsRpc(compatibilityDate: string, compatibilityFlags: readonly string[]): boolean {
  if (compatibilityFlags.includes("no_rpc")) return false;
  return compatibilityFlags.includes("rpc") || compatibilityDate >= JS_RPC_DATE;
}
