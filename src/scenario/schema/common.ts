/**
 * The small value types a scenario file is built from: version labels, durations, counts, error
 * codes, code-update strategies and limits. Each carries a description, which the generated JSON
 * Schema passes on to editors.
 */
import { z } from "zod";
import { LATEST_VIRTUAL_TIME_MS, LATEST_VIRTUAL_TIME_TEXT } from "../../model/clock.js";
import { ERROR_CODES } from "../../model/errors.js";

/** A version label: starts with a letter; no `@`, `,` or spaces, so it can sit in a deploy spec. */
export const LABEL_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** A label the scenario gives a version (`A`, `B`, `v2`, `canary`...). */
export const Label = z
  .string()
  .regex(LABEL_PATTERN, { error: "a version label starts with a letter and holds only letters, digits, '.', '_' and '-' (at most 64)" })
  .describe("A version label declared under `versions` (or by a `secret` step's `label`).")
  .meta({ id: "Label" });

/** The name of a Durable Object, as passed to `idFromName`. */
export const ObjectName = z
  .string()
  .min(1, { error: "an object name cannot be empty" })
  .describe("A Durable Object by name (idFromName): lobby, in the Worker's first class; ChatRoom:lobby or ROOMS:lobby, in a class or the class a binding holds.")
  .meta({ id: "ObjectName" });

/** One duration unit and its length in milliseconds. */
export const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration: numbers with units, largest first or not, e.g. `250ms`, `30s`, `5m`, `1h30m`. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

const DURATION_HINT = "write a duration with its unit, for example 250ms, 30s, 5m or 1h30m";

/** Milliseconds in a duration that matches {@link DURATION_PATTERN} (Infinity when it overflows). */
export function durationTextMs(text: string): number {
  let totalMs = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    totalMs += Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  }
  return Math.round(totalMs);
}

/** The longest duration a scenario may write: the virtual clock's whole range. */
export const MAX_DURATION_MS = LATEST_VIRTUAL_TIME_MS;

/** A duration written with its unit. */
export const Duration = z
  .string({ error: DURATION_HINT })
  .regex(DURATION_PATTERN, { error: DURATION_HINT })
  .refine((text) => durationTextMs(text) <= MAX_DURATION_MS, {
    error: `this duration runs past the end of the virtual clock (${LATEST_VIRTUAL_TIME_TEXT}); use a shorter one`,
  })
  .describe("A duration with its unit: ms, s, m, h or d (for example 30s, 5m, 1h30m).")
  .meta({ id: "Duration" });

/** An expected count: exactly this many, or a range. */
export const Count = z
  .union(
    [
      z.int().min(0),
      z
        .strictObject({
          min: z.int().min(0).optional().describe("At least this many."),
          max: z.int().min(0).optional().describe("At most this many."),
        })
        .describe("A range: at least `min`, at most `max` (either may be left out)."),
    ],
    { error: "expected a count: a whole number, or {min, max}" },
  )
  .describe("An expected count: a whole number (exactly), or {min, max}.")
  .meta({ id: "Count" });

/** Cloudflare's numeric error codes, which YAML reads as numbers when unquoted. */
const NUMERIC_CODES = ERROR_CODES.filter((code) => /^\d+$/.test(code)).map(Number) as [number, ...number[]];

/** An error code a step is expected to be refused with (`10211`, `percentage-sum`...). */
export const RefusalCode = z
  .union([z.enum(ERROR_CODES), z.literal(NUMERIC_CODES)], {
    error: `expected one of dosim's error codes: ${ERROR_CODES.join(", ")}`,
  })
  .describe("The error code this step must be refused with: Cloudflare's number (10021, 10211, 10215, 10220) or dosim's name.")
  .meta({ id: "RefusalCode" });

const CODE_UPDATE_FORMS = "expected immediate, deferred, deferred 30s, or {mode: deferred, maxDelay: 5m}";

/** How a deployment treats Durable Objects whose version changes. */
export const CodeUpdate = z
  .union(
    [
      z.enum(["immediate", "deferred"]),
      z
        .string()
        .regex(/^\s*deferred\s+\S+\s*$/, { error: CODE_UPDATE_FORMS })
        .describe("wrangler's flag form, --durable-objects-code-update-mode's value: deferred 30s, deferred 5m, deferred 250ms."),
      z.strictObject({
        mode: z.enum(["immediate", "deferred"]).describe("immediate resets a live object at the deployment; deferred (the default) waits."),
        maxDelay: Duration.optional().describe("deferred only: how long a live object may keep its old code (default 300s, at most 1d)."),
      }),
    ],
    { error: CODE_UPDATE_FORMS },
  )
  .describe("The code-update strategy: immediate, deferred, deferred 30s (as wrangler's flag), or {mode: deferred, maxDelay: 10m}. The platform's default is deferred with a 300 s delay; a delay of 0 behaves as immediate.")
  .meta({ id: "CodeUpdate" });

const positiveInt = z.int().min(1);

/** The platform limits a scenario may change (see src/model/limits.ts); the rest keep their defaults. */
export const LimitsOverride = z
  .strictObject({
    maxVersionsPerDeployment: positiveInt.optional().describe("Versions one deployment may list (default 2)."),
    deployableVersionWindow: positiveInt.optional().describe("Only the newest N versions can be deployed (default 100; older docs said 10)."),
    maxTagBytes: positiveInt.optional().describe("Bytes a version tag may hold (default 100)."),
    maxMessageBytes: positiveInt.optional().describe("Bytes a version message keeps (default 1000)."),
    percentageSumTolerance: z.number().min(0).optional().describe("How far percentages may stray from 100 (default 0.001)."),
    percentageDecimals: z.int().min(0).max(6).optional().describe("Decimals a percentage may carry (default: no limit, as on the platform)."),
    deploymentsListed: positiveInt.optional().describe("Deployments `deployments list` shows (default 10)."),
    defaultDeferredDelayMs: z.int().min(0).max(MAX_DURATION_MS).optional().describe("The deferred code-update delay when none is given, in ms (default 300000, the platform's)."),
    maxDeferredDelayMs: z.int().min(0).max(MAX_DURATION_MS).optional().describe("The longest deferred delay, in ms (default 86400000)."),
  })
  .describe("Platform limits to change for this scenario; the others keep Cloudflare's current values.");

/** A map of plain-text values (vars, secrets, headers). */
export const StringMap = z.record(z.string(), z.string());
