// The shipped teaching case: the RPC rename done as expand → migrate → contract, safe throughout.
// (The direct rename, unsafe, is the CLI test's case.)
import { describe, expect, it } from "vitest";
import { loadCheckFile } from "../../src/check/load.js";
import { runCheck } from "../../src/check/run.js";
import type { CheckReport } from "../../src/report/check-report.js";

describe("examples/check/rpc-rename/expand-contract.yaml on workerd", () => {
  let report: CheckReport;

  it("runs", async () => {
    const loaded = loadCheckFile("examples/check/rpc-rename/expand-contract.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    report = await runCheck(loaded.check);
  });

  it("checks each adjacent pair and the whole sequence, safe in every cell", () => {
    expect(report.pairs.map((pair) => `${pair.older}→${pair.newer} ${pair.safe}`)).toEqual(["A→expand true", "expand→migrate true", "migrate→contract true"]);
    expect(report.steps.filter((step) => step.kind === "rollback").map((step) => step.spec)).toEqual(["A@100", "expand@100", "migrate@100"]);
    expect(report.cells.every((cell) => cell.failed === 0 && cell.requests === 1 && cell.failures.length === 0)).toBe(true);
    expect(report.verdict).toBe("safe");
  });

  it("covers the sequence's pairings only: the last version reads storage the first wrote, never calls its objects", () => {
    const keys = report.cells.map((cell) => `${cell.caller}>${cell.object}/${cell.writer}`);
    expect(keys).toContain("contract>contract/A");
    expect(keys).toContain("expand>expand/migrate"); // rolling back from migrate to expand
    expect(keys).not.toContain("migrate>expand/migrate"); // objects on expand during the split never ran migrate
    expect(keys.some((key) => key.startsWith("contract>A") || key.startsWith("A>contract"))).toBe(false);
  });
});
