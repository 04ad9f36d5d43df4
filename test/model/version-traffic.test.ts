import { describe, expect, it } from "vitest";
import { distributeTraffic } from "../../src/model/version-traffic.js";

// wrangler versions/deploy.ts, promptPercentages: the default shown is the even share, toFixed(3).
describe("the prompt's default percentages", () => {
  it("shares what is left evenly, rounded to 3 decimals as wrangler shows it", () => {
    expect(distributeTraffic([{ ref: "A" }, { ref: "B" }]).map((item) => item.percentage)).toEqual([50, 50]);
    expect(distributeTraffic([{ ref: "A" }, { ref: "B" }, { ref: "C" }]).map((item) => item.percentage)).toEqual([33.333, 33.333, 33.333]);
  });

  it("gives nothing when the others already take 100% or more", () => {
    expect(distributeTraffic([{ ref: "A", percentage: 120 }, { ref: "B" }]).map((item) => item.percentage)).toEqual([120, 0]);
  });
});
