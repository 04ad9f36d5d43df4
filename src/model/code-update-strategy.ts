/**
 * The code-update strategy as wrangler and the API spell it:
 * - the flag `--durable-objects-code-update-mode immediate | deferred <duration>` (wrangler
 *   4.141+, packages/wrangler/src/deployment-bundle/durable-objects-code-update.ts): a duration is
 *   a number of seconds with an optional unit (`30s`, `5m`, `1h`, `250ms`, a bare `45`), at most
 *   24 hours, with millisecond precision;
 * - `durable_objects.code_update_strategy { mode, max_delay }` in the wrangler config and
 *   `code_update_strategy` on the API's deployments, `max_delay` in seconds.
 * wrangler resolves the flag first, then the config, then the default (deferred, 300 s).
 */
import type { CodeUpdateRequest } from "./code-update.js";
import { fail, ok, type Result } from "./errors.js";
import type { CodeUpdate } from "./types.js";

/** The strategy as the API and the wrangler config name it (`max_delay` in seconds). */
export interface CodeUpdateStrategy {
  readonly mode: string;
  readonly max_delay?: number;
}

/** wrangler's ceiling for the flag's duration: 24 hours. */
const MAX_FLAG_DELAY_SECONDS = 24 * 60 * 60;

/** Seconds per unit, for the unit names wrangler's duration parser knows. */
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1e-9, nsec: 1e-9, nsecs: 1e-9, nanosecond: 1e-9, nanoseconds: 1e-9,
  us: 1e-6, usec: 1e-6, usecs: 1e-6, microsecond: 1e-6, microseconds: 1e-6,
  ms: 1e-3, msec: 1e-3, msecs: 1e-3, millisecond: 1e-3, milliseconds: 1e-3,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
  w: 604_800, week: 604_800, weeks: 604_800,
};

const DURATION = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([a-z]*)$/;

/** A duration such as `30s`, `5m`, `1.5h`, `250ms` or a bare number of seconds, in seconds; NaN if unreadable. */
export function parseDurationSeconds(text: string): number {
  const match = DURATION.exec(text.trim().toLowerCase());
  if (match === null) return Number.NaN;
  const perUnit = match[2] === "" ? 1 : SECONDS_PER_UNIT[match[2]!];
  return perUnit === undefined ? Number.NaN : Number(match[1]) * perUnit;
}

/** True when `seconds` is a whole number of milliseconds (allowing float error), and not below 1 ms unless 0. */
export function hasMillisecondPrecision(seconds: number): boolean {
  const ms = seconds * 1000;
  const whole = Math.round(ms);
  return (seconds === 0 || whole > 0) && Math.abs(ms - whole) <= 1e-6;
}

const INVALID_MODE = 'The argument "--durable-objects-code-update-mode" must be either "immediate" or "deferred <duration>".';
const INVALID_DELAY =
  'The duration passed to "--durable-objects-code-update-mode deferred" must be between 0 seconds and 24 hours and use millisecond precision.';

/** Reads the flag's value (`immediate`, or `deferred` and a duration), with wrangler's errors. */
export function parseCodeUpdateMode(value: string): Result<CodeUpdateRequest> {
  const [mode, duration, ...extra] = value.trim().split(/\s+/);
  if (mode === "immediate" && duration === undefined) return ok({ mode });
  if (mode !== "deferred" || duration === undefined || extra.length > 0) return fail("invalid-code-update", INVALID_MODE, { value });
  const seconds = parseDurationSeconds(duration);
  const valid = /\d/.test(duration) && Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_FLAG_DELAY_SECONDS && hasMillisecondPrecision(seconds);
  if (!valid) return fail("invalid-code-update", INVALID_DELAY, { value });
  return ok({ mode, maxDelayMs: Math.round(seconds * 1000) });
}

/**
 * Reads `code_update_strategy` from the wrangler config or an API body into a request for
 * {@link resolveCodeUpdate}; `where` names its place in error messages.
 */
export function codeUpdateFromStrategy(strategy: unknown, where = "code_update_strategy"): Result<CodeUpdateRequest | undefined> {
  if (strategy === undefined || strategy === null) return ok(undefined);
  if (typeof strategy !== "object" || Array.isArray(strategy)) {
    return fail("invalid-code-update", `${where} must be an object such as { "mode": "deferred", "max_delay": 60 }.`);
  }
  const { mode, max_delay: maxDelay } = strategy as { mode?: unknown; max_delay?: unknown };
  if (mode !== "immediate" && mode !== "deferred") {
    return fail("invalid-code-update", `${where}.mode must be "immediate" or "deferred" (got ${JSON.stringify(mode ?? null)}).`);
  }
  if (maxDelay === undefined) return ok({ mode });
  if (typeof maxDelay !== "number" || !hasMillisecondPrecision(maxDelay)) {
    return fail("invalid-code-update", `${where}.max_delay must be a number of seconds with millisecond precision (got ${JSON.stringify(maxDelay)}).`);
  }
  return ok({ mode, maxDelayMs: Math.round(maxDelay * 1000) });
}

/** A strategy as the API answers it: `{ mode: "immediate" }` or `{ mode: "deferred", max_delay }` in seconds. */
export function strategyOf(codeUpdate: CodeUpdate): CodeUpdateStrategy {
  return codeUpdate.mode === "immediate" ? { mode: "immediate" } : { mode: "deferred", max_delay: codeUpdate.maxDelayMs / 1000 };
}

/** wrangler's precedence: the flag, else the config, else nothing (the platform's default applies). */
export function pickCodeUpdate(flag: CodeUpdateRequest | undefined, config: CodeUpdateRequest | undefined): CodeUpdateRequest | undefined {
  return flag ?? config;
}
