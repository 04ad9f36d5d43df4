/**
 * How a deployment treats Durable Objects whose version changes: `immediate` resets an active
 * object at once; `deferred` lets it keep its old code until it hibernates or a delay runs out
 * (`max_delay: 0` behaves as `immediate`). Cloudflare defers by default, for up to 300 seconds;
 * an explicit strategy always overrides that (docs "Durable Objects code updates").
 */
import { fail, ok, type Result } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { CodeUpdate } from "./types.js";

/** Resets every moved object at the deployment; only when asked for explicitly. */
export const IMMEDIATE: CodeUpdate = Object.freeze({ mode: "immediate" });

/** The platform's default: `deferred` with the default delay of 300 s. */
export const DEFAULT_CODE_UPDATE: Extract<CodeUpdate, { mode: "deferred" }> = Object.freeze({ mode: "deferred" as const, maxDelayMs: DEFAULT_LIMITS.defaultDeferredDelayMs });

/** The default strategy under `limits` (their default delay); {@link DEFAULT_CODE_UPDATE} itself under the default limits. */
export function defaultCodeUpdate(limits: Limits = DEFAULT_LIMITS): CodeUpdate {
  if (limits.defaultDeferredDelayMs === DEFAULT_CODE_UPDATE.maxDelayMs) return DEFAULT_CODE_UPDATE;
  return Object.freeze({ mode: "deferred", maxDelayMs: limits.defaultDeferredDelayMs });
}

/** A code-update strategy as asked for (by a flag, a scenario step or the account API), before {@link resolveCodeUpdate} checks it. */
export interface CodeUpdateRequest {
  readonly mode?: string;
  readonly maxDelayMs?: number;
}

/**
 * Checks a requested code-update strategy. No mode means the platform's default (deferred); a
 * deferred delay defaults to 300 s and stops at 86400 s.
 */
export function resolveCodeUpdate(
  request: CodeUpdateRequest | undefined,
  limits: Limits = DEFAULT_LIMITS,
): Result<CodeUpdate> {
  if (request === undefined || (request.mode === undefined && request.maxDelayMs === undefined)) return ok(defaultCodeUpdate(limits));
  if (request.mode === "immediate") {
    if (request.maxDelayMs !== undefined) {
      return fail("invalid-code-update", "A delay only applies to the deferred code-update mode; drop it or use deferred.");
    }
    return ok(IMMEDIATE);
  }
  if (request.mode !== undefined && request.mode !== "deferred") {
    return fail("invalid-code-update", `Unknown code-update mode "${request.mode}"; use immediate or deferred.`, {
      mode: request.mode,
    });
  }
  const maxDelayMs = request.maxDelayMs ?? limits.defaultDeferredDelayMs;
  if (!Number.isInteger(maxDelayMs) || maxDelayMs < 0 || maxDelayMs > limits.maxDeferredDelayMs) {
    return fail(
      "invalid-code-update",
      `A deferred delay must be between 0 and ${limits.maxDeferredDelayMs / 1000} seconds, with millisecond precision (got ${maxDelayMs / 1000}).`,
      { maxDelayMs },
    );
  }
  if (maxDelayMs === DEFAULT_CODE_UPDATE.maxDelayMs) return ok(DEFAULT_CODE_UPDATE);
  return ok({ mode: "deferred", maxDelayMs });
}
