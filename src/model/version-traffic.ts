/**
 * The defaults `versions deploy`'s prompts offer: versions without a percentage share what the
 * others leave of 100 evenly, shown with at most 3 decimals as wrangler shows them
 * (versions/deploy.ts, promptPercentages: `toFixed(3)`). The command line's specs are read by
 * ./version-specs.ts.
 */
import type { SpecItem } from "./deployment-spec.js";

/** Rounds to the 3 decimals wrangler's prompt shows (20.000 → 20, 33.3333 → 33.333). */
function roundPercentage(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Gives every item without a percentage an even share of what the others leave of 100 (0 when they
 * already take 100 or more). Items keep their order.
 */
export function distributeTraffic(items: readonly SpecItem[]): SpecItem[] {
  const given = items.reduce((sum, item) => sum + (item.percentage ?? 0), 0);
  const missing = items.filter((item) => item.percentage === undefined).length;
  const share = missing === 0 || given > 100 ? 0 : roundPercentage((100 - given) / missing);
  return items.map((item) => (item.percentage === undefined ? { ref: item.ref, percentage: share } : item));
}
