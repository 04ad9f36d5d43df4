/** Durations as scenarios write them (`250ms`, `30s`, `1h30m`), in milliseconds. */
import { DURATION_PATTERN, DURATION_UNITS_MS } from "./schema/common.js";

/** Milliseconds in `text`, or undefined when it is not a duration with units. */
export function parseDurationMs(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let totalMs = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    totalMs += Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  }
  return Math.round(totalMs);
}
