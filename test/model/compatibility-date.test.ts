import { describe, expect, it } from "vitest";
import { defaultCompatibilityDate } from "../../src/model/compatibility-date.js";

// Source: wrangler's getDevCompatibilityDate (packages/wrangler/src/api/startDevWorker/ConfigController.ts)
// uses today's date when the config has no compatibility_date; workerd's supportedCompatibilityDate
// is the newest date it accepts.
describe("the compatibility date of a config without one", () => {
  it("is today's UTC date while workerd supports it", () => {
    expect(defaultCompatibilityDate(new Date("2026-03-04T23:59:59Z"), "2026-04-26")).toBe("2026-03-04");
  });

  it("is workerd's newest supported date when today is later", () => {
    expect(defaultCompatibilityDate(new Date("2026-12-02T00:00:00Z"), "2026-04-26")).toBe("2026-04-26");
  });

  it("is today's date on the day workerd's date is today", () => {
    expect(defaultCompatibilityDate(new Date("2026-04-26T12:00:00Z"), "2026-04-26")).toBe("2026-04-26");
  });
});
