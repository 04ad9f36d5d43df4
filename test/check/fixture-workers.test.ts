// dosim check on the real-Workers fixtures: an RPC class and a classic class. Their workloads
// expect release a, so the failing cells show that callers and objects ran where the cell pins them.
import { describe, expect, it } from "vitest";
import { loadCheckFile } from "../../src/check/load.js";
import { runCheck } from "../../src/check/run.js";
import { cellMarks } from "./cell-marks.js";

async function check(file: string) {
  const loaded = loadCheckFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runCheck(loaded.check);
}

describe("dosim check on the fixture Workers", () => {
  it("pins caller and object versions on an RPC class (sqlite-rpc)", async () => {
    const report = await check("test/fixtures/workers/sqlite-rpc/check.yaml");
    // Worker B answers worker: b; an object on B answers release: b; writer B's run fails as well.
    expect(cellMarks(report)).toEqual({ "A>A/A": "ok", "A>B/A": "1/1", "A>B/B": "1/1", "B>A/A": "1/1", "B>B/A": "1/1", "B>B/B": "1/1" });
    expect(report.steps.map((step) => step.safe)).toEqual([true, false]);
    expect(report.cells.find((cell) => cell.caller === "A" && cell.object === "B" && cell.writer === "B")!.failures.map((failure) => failure.phase)).toEqual(["write", "read"]);
  });

  it("pins object versions on a classic class (classic-html)", async () => {
    const report = await check("test/fixtures/workers/classic-html/check.yaml");
    expect(cellMarks(report)).toEqual({ "A>A/A": "ok", "A>B/A": "1/2", "A>B/B": "1/2", "B>A/A": "ok", "B>B/A": "1/2", "B>B/B": "1/2" });
    expect(report.cells.find((cell) => cell.caller === "B" && cell.object === "B" && cell.writer === "A")!.failures[0]!.message).toBe('expected JSON with {"release":"a"}, got {"release":"b","count":2,"hits":1}');
  });
});
