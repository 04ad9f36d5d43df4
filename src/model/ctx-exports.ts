/**
 * Whether a Worker's compatibility settings give it `ctx.exports`, the loopback bindings to its own
 * top-level exports (a Durable Object class's namespace among them): on from 2025-11-17, or with
 * `enable_ctx_exports`, off with `disable_ctx_exports` (workerd's `enableCtxExports`).
 */
import { isCompatFlagOn, type CompatFlag } from "./compat-flag.js";

/** workerd's `enableCtxExports`. */
export const CTX_EXPORTS: CompatFlag = { enable: "enable_ctx_exports", disable: "disable_ctx_exports", date: "2025-11-17" };

/** True when a Worker with this date and these flags has `ctx.exports`. */
export function hasCtxExports(compatibilityDate: string, compatibilityFlags: readonly string[]): boolean {
  return isCompatFlagOn(CTX_EXPORTS, compatibilityDate, compatibilityFlags);
}
