/**
 * Whether a Worker's compatibility settings enable JavaScript RPC on its service bindings and
 * Durable Object stubs: on from 2024-04-03, or with the `rpc` flag, off with `no_rpc` (workerd's
 * `jsRpc` compatibility flag).
 */
import { isCompatFlagOn, type CompatFlag } from "./compat-flag.js";

/** workerd's `jsRpc`. */
export const JS_RPC: CompatFlag = { enable: "rpc", disable: "no_rpc", date: "2024-04-03" };

/** True when a Worker with this date and these flags can make RPC calls. */
export function hasJsRpc(compatibilityDate: string, compatibilityFlags: readonly string[]): boolean {
  return isCompatFlagOn(JS_RPC, compatibilityDate, compatibilityFlags);
}
