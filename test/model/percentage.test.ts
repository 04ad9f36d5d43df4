import { describe, expect, it } from "vitest";
import { percentageToSlots } from "../../src/model/assignment.js";
import { isPlatformPercentage } from "../../src/model/percentage.js";

// Sources: wrangler packages/wrangler/src/versions/deploy.ts (parseOptionalPercentage: a number from
// 0 to 100; validateTrafficSubtotal: the sum within EPSILON = 0.001 of 100) and the API schema of
// POST /accounts/{account_id}/workers/scripts/{script_name}/deployments (percentage: number,
// maximum 100, no multipleOf). Neither limits the decimals.
describe("the platform's percentage rule", () => {
  it("accepts any number of decimals from 0 to 100", () => {
    for (const value of [0, 0.5, 33.333, 33.3333333, 99.99999, 100]) expect(isPlatformPercentage(value)).toBe(true);
  });

  it("refuses values outside 0–100 and non-numbers", () => {
    for (const value of [-0.001, 100.0001, Number.NaN, Number.POSITIVE_INFINITY]) expect(isPlatformPercentage(value)).toBe(false);
  });

  it("routes with dosim's 0.001% resolution (not a platform rule): more decimals round", () => {
    expect(percentageToSlots(33.3333333)).toBe(33_333);
    expect(percentageToSlots(0.0004)).toBe(0);
  });
});
