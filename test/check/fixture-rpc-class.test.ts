// dosim check on the RPC-class fixture (sqlite-rpc). Its workload expects release a on both sides,
// so the failing cells show that callers and objects ran where each cell pins them.
import { describe, expect, it } from "vitest";
import { loadCheckFile } from "../../src/check/load.js";
import { runCheck } from "../../src/check/run.js";
import { cellMarks } from "./cell-marks.js";

describe("dosim check on an RPC class (sqlite-rpc fixture)", () => {
  it("pins caller and object versions", async () => {
    const loaded = loadCheckFile("test/fixtures/workers/sqlite-rpc/check.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const report = await runCheck(loaded.check);
    // Worker B answers worker: b; an object on B answers release: b; writer B's run fails as well.
    expect(cellMarks(report)).toEqual({ "A>A/A": "ok", "A>B/A": "1/1", "A>B/B": "1/1", "B>A/A": "1/1", "B>B/A": "1/1", "B>B/B": "1/1" });
    expect(report.steps.map((step) => step.safe)).toEqual([true, false]);
    expect(report.cells.find((cell) => cell.caller === "A" && cell.object === "B" && cell.writer === "B")!.failures.map((failure) => failure.phase)).toEqual(["write", "read"]);
  });
});
