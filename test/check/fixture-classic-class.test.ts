// dosim check on the classic-class fixture (classic-html, no RPC). The room answers with its own
// release and the workload expects a, so exactly the cells whose object runs B fail.
import { describe, expect, it } from "vitest";
import { loadCheckFile } from "../../src/check/load.js";
import { runCheck } from "../../src/check/run.js";
import { cellMarks } from "./cell-marks.js";

describe("dosim check on a classic class (classic-html fixture)", () => {
  it("pins object versions", async () => {
    const loaded = loadCheckFile("test/fixtures/workers/classic-html/check.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const report = await runCheck(loaded.check);
    expect(cellMarks(report)).toEqual({ "A>A/A": "ok", "A>B/A": "1/2", "A>B/B": "1/2", "B>A/A": "ok", "B>B/A": "1/2", "B>B/B": "1/2" });
    expect(report.cells.find((cell) => cell.caller === "B" && cell.object === "B" && cell.writer === "A")!.failures[0]!.message).toBe('expected JSON with {"release":"a"}, got {"release":"b","count":2,"hits":1}');
  });
});
