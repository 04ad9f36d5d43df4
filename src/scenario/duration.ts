/** Durations as scenarios write them (`250ms`, `30s`, `1h30m`), in milliseconds. */
import { DURATION_PATTERN, durationTextMs } from "./schema/common.js";

/** Milliseconds in `text`, or undefined when it is not a duration with units. */
export function parseDurationMs(text: string): number | undefined {
  return DURATION_PATTERN.test(text) ? durationTextMs(text) : undefined;
}
