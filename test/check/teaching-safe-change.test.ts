// The shipped teaching case: a change that is safe in every cell (a classic class, no RPC).
import { describe, expect, it } from "vitest";
import { loadCheckFile } from "../../src/check/load.js";
import { runCheck } from "../../src/check/run.js";
import { cellMarks } from "./cell-marks.js";

describe("examples/check/safe-change on workerd", () => {
  it("holds in every cell, every step and the rollback", async () => {
    const loaded = loadCheckFile("examples/check/safe-change/check.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const report = await runCheck(loaded.check);
    expect(Object.keys(cellMarks(report))).toEqual(["A>A/A", "A>A/B", "A>B/A", "A>B/B", "B>A/A", "B>B/A", "B>B/B"]);
    expect(Object.values(cellMarks(report)).every((mark) => mark === "ok")).toBe(true);
    expect(report.steps.map((step) => step.safe)).toEqual([true, true, true, true]);
    expect(report.verdict).toBe("safe");
  });
});
