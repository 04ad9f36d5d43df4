/**
 * How a deployment treats Durable Objects whose version changes: `immediate` resets an active
 * object at once; `deferred` lets it keep its old code until it goes idle or a delay runs out.
 */
import { fail, ok, type Result } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { CodeUpdate } from "./types.js";

/** The platform's default. */
export const IMMEDIATE: CodeUpdate = Object.freeze({ mode: "immediate" });

/** A code-update strategy as asked for (by a flag, a scenario step or the account API), before {@link resolveCodeUpdate} checks it. */
export interface CodeUpdateRequest {
  readonly mode?: string;
  readonly maxDelayMs?: number;
}

/** Checks a requested code-update strategy; a deferred delay defaults to 300 s and stops at 86400 s. */
export function resolveCodeUpdate(
  request: { mode?: string; maxDelayMs?: number } | undefined,
  limits: Limits = DEFAULT_LIMITS,
): Result<CodeUpdate> {
  if (request === undefined || request.mode === undefined || request.mode === "immediate") {
    if (request?.maxDelayMs !== undefined) {
      return fail("invalid-code-update", "A delay only applies to the deferred code-update mode; drop it or use deferred.");
    }
    return ok(IMMEDIATE);
  }
  if (request.mode !== "deferred") {
    return fail("invalid-code-update", `Unknown code-update mode "${request.mode}"; use immediate or deferred.`, {
      mode: request.mode,
    });
  }
  const maxDelayMs = request.maxDelayMs ?? limits.defaultDeferredDelayMs;
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0 || maxDelayMs > limits.maxDeferredDelayMs) {
    return fail(
      "invalid-code-update",
      `A deferred delay must be between 0 and ${limits.maxDeferredDelayMs / 1000} seconds (got ${maxDelayMs / 1000}).`,
      { maxDelayMs },
    );
  }
  return ok({ mode: "deferred", maxDelayMs });
}
