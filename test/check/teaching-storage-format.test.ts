// The shipped teaching case: a storage format change that is safe forward and breaks rollback.
import { describe, expect, it } from "vitest";
import { loadCheckFile } from "../../src/check/load.js";
import { runCheck } from "../../src/check/run.js";
import type { CheckReport } from "../../src/report/check-report.js";
import { cellMarks } from "./cell-marks.js";

describe("examples/check/storage-format on workerd", () => {
  let report: CheckReport;

  it("runs", async () => {
    const loaded = loadCheckFile("examples/check/storage-format/check.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    report = await runCheck(loaded.check);
  });

  it("fails exactly the cell where A reads storage B wrote", () => {
    expect(cellMarks(report)).toEqual({ "A>A/A": "ok", "A>A/B": "1/2", "A>B/A": "ok", "A>B/B": "ok", "B>A/A": "ok", "B>B/A": "ok", "B>B/B": "ok" });
    expect(report.cells.find((cell) => cell.failed > 0)?.failures[0]).toEqual({
      phase: "read",
      request: "GET /profiles/ada.B-A-A",
      caller: "A",
      object: "A",
      writer: "B",
      status: 500,
      message: "TypeError: display.toUpperCase is not a function",
    });
  });

  it("is safe at every planned step and unsafe on rollback, with the advice to read both formats first", () => {
    expect(report.steps.map((step) => `${step.kind} ${step.spec} ${step.safe ? "safe" : "unsafe"}`)).toEqual([
      "start A@100 safe",
      "deploy B@10,A@90 safe",
      "deploy B@50,A@50 safe",
      "deploy B@100 safe",
      "rollback A@100 unsafe",
    ]);
    expect(report.verdict).toBe("unsafe");
    expect(report.pairs[0]!.advice).toEqual([expect.stringMatching(/^Rolling back to A after B wrote storage fails: A cannot read B's format\. Ship a version that reads both formats/)]);
  });
});
