import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { PlanReport } from "../../src/model/plan-report.js";
import { renderPlanSummary } from "../../src/report/plan-summary.js";
import { runDosim } from "../helpers/run-cli.js";
import { planInProcess } from "./in-process.js";

const ARGS = ["plan", "--objects", "200001", "--namespace", "hello-Counter", "--step", "A@100", "--step", "B@20,A@80", "--step", "A@50,B@50", "--step", "B@100"];

describe("dosim plan on worker threads (built binary)", () => {
  // The summary is rendered from the report alone (planOutput), so the summary of two and three
  // threads is rendered here from their JSON report, and compared with the binary's on one thread.
  it("prints the same bytes on one thread as on several, as JSON and as the summary", async () => {
    const [one, two, three, summary] = await Promise.all([...["1", "2", "3"].map((threads) => runDosim([...ARGS, "--json", "--threads", threads])), runDosim([...ARGS, "--threads", "1"])]);
    for (const run of [one!, summary!]) {
      expect(run.stderr).toBe("");
      expect(run.stdout.length).toBeGreaterThan(0);
    }
    expect(two!.stdout).toBe(one!.stdout);
    expect(three!.stdout).toBe(one!.stdout);
    expect([two!.status, three!.status, summary!.status]).toEqual([one!.status, one!.status, one!.status]);
    for (const run of [two!, three!]) expect(renderPlanSummary(JSON.parse(run.stdout) as PlanReport)).toBe(summary!.stdout);
  });

  it("prints the same bytes on one thread as on two for names from a file, repeats and non-ASCII names included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dosim-plan-threads-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "names.txt");
    // Generated names are made by each thread; names from a file cross to the threads: both paths are checked.
    const names = Array.from({ length: 200_010 }, (_, index) => (index % 7 === 0 ? `räum-${index % 7_000}` : `room-${index}`));
    writeFileSync(file, names.join("\n"));
    const [one, two] = await Promise.all(["1", "2"].map((threads) => runDosim([...ARGS.slice(0, 1), "--json", "--names-file", file, ...ARGS.slice(3), "--threads", threads])));
    expect(one!.status).toBe(0);
    expect(two!.stdout).toBe(one!.stdout);
    const report = JSON.parse(one!.stdout) as { objectCount: number; duplicateNamesDropped: number };
    expect(report.objectCount).toBe(new Set(names).size);
    expect(report.duplicateNamesDropped).toBe(names.length - new Set(names).size);
  });

  it("refuses a thread count that is not a whole number from 1", async () => {
    const run = await planInProcess([...ARGS.slice(1), "--threads", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--threads must be a whole number");
  });
});
