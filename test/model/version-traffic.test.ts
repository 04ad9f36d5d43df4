import { describe, expect, it } from "vitest";
import { distributeTraffic, parseVersionTraffic } from "../../src/model/version-traffic.js";

describe("wrangler's traffic shorthand", () => {
  it("shares what is left evenly between versions without a percentage", () => {
    expect(parseVersionTraffic(["A", "B"])).toEqual({ ok: true, value: [{ ref: "A", percentage: 50 }, { ref: "B", percentage: 50 }] });
    expect(parseVersionTraffic(["B@20", "A"])).toEqual({ ok: true, value: [{ ref: "B", percentage: 20 }, { ref: "A", percentage: 80 }] });
    expect(parseVersionTraffic(["B@20%,A@80"])).toEqual({ ok: true, value: [{ ref: "B", percentage: 20 }, { ref: "A", percentage: 80 }] });
  });

  it("rounds shares to 3 decimals and gives nothing when the others already take 100% or more", () => {
    expect(distributeTraffic([{ ref: "A" }, { ref: "B" }, { ref: "C" }]).map((item) => item.percentage)).toEqual([33.333, 33.333, 33.333]);
    expect(distributeTraffic([{ ref: "A", percentage: 120 }, { ref: "B" }]).map((item) => item.percentage)).toEqual([120, 0]);
  });

  it("keeps an empty list empty, for the model to refuse", () => {
    expect(parseVersionTraffic([])).toEqual({ ok: true, value: [] });
  });

  it("refuses what the deployment-spec grammar refuses", () => {
    const parsed = parseVersionTraffic(["B@abc"]);
    expect(!parsed.ok && parsed.error.code).toBe("invalid-version-spec");
  });
});
