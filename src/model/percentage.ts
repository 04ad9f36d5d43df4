/**
 * What the platform accepts as a deployment percentage. wrangler (versions/deploy.ts,
 * `parseOptionalPercentage` and `validateTrafficSubtotal`) checks only that each value is a number
 * from 0 to 100 and that the values sum to 100 within 0.001; the API schema of
 * `POST …/deployments` gives `percentage` a maximum of 100 and no `multipleOf`. Neither limits
 * the decimals, so dosim does not either.
 *
 * dosim's own resolution, not a platform rule: the router compares integer slots of 0.001%
 * (./assignment.ts), so a percentage with more decimals routes as if rounded to 0.001%.
 */

/** True for a finite number from 0 to 100, any number of decimals. */
export function isPlatformPercentage(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 100;
}
