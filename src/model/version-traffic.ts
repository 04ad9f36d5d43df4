/**
 * wrangler's traffic shorthand for `versions deploy`: `<version>@<percentage>` tokens where any
 * number of percentages may be left out, the versions without one sharing what the others leave
 * of 100 evenly (`A B` is 50/50). The stricter `parseDeploymentSpec` (scenarios, `plan`) allows one
 * gap only; this is the command line's rule, and the prompts' defaults.
 */
import { parseDeploymentSpec, type SpecItem } from "./deployment-spec.js";
import { ok, type Result } from "./errors.js";

/** Rounds to wrangler's 3 decimals (20.000 → 20, 33.3333 → 33.333). */
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

/**
 * Parses traffic tokens (`B@20`, `A`, `B@20,A`), each checked by the deployment-spec grammar, and
 * fills missing percentages evenly. Refuses what the grammar refuses (`B@abc`).
 */
export function parseVersionTraffic(tokens: readonly string[]): Result<SpecItem[]> {
  const items: SpecItem[] = [];
  for (const token of tokens.flatMap((part) => part.split(/[,\s]+/)).filter((part) => part.length > 0)) {
    if (!token.includes("@")) {
      items.push({ ref: token });
      continue;
    }
    const parsed = parseDeploymentSpec([token]);
    if (!parsed.ok) return parsed;
    items.push(...parsed.value);
  }
  return ok(distributeTraffic(items));
}
