// `dosim check` as users run it: the built binary on the shipped RPC-rename case (one workerd
// host), its JSON report against a snapshot, JUnit from that report, and bad input (no host): an
// unknown version through the binary, the other problems in this process (in-process.ts).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { renderCheckJunit } from "../../src/report/check-junit.js";
import type { CheckReport } from "../../src/report/check-report.js";
import { renderCheckTable } from "../../src/report/check-table.js";
import { REPO_ROOT, runDosim } from "../helpers/run-cli.js";
import { checkInProcess } from "./in-process.js";

function tempCheck(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dosim-check-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "check.yaml"), text);
  return join(dir, "check.yaml");
}

describe("dosim check", () => {
  it("finds the direct RPC rename unsafe both ways, exits 1, and reports it as JSON and JUnit", async () => {
    const run = await runDosim(["check", "examples/check/rpc-rename/direct.yaml", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as CheckReport;
    await expect(run.stdout).toMatchFileSnapshot("__snapshots__/check-rpc-rename.json");
    expect(report.steps.find((step) => step.spec === "B@50,A@50")!.problems[0]).toBe(
      'Worker B calling objects on A fails 2/2 requests: POST /rooms/lobby.A-B-A?who=ada → 500: TypeError: The RPC receiver does not implement the method "enter".',
    );
    const junit = renderCheckJunit(report);
    expect(junit).toContain('<testsuites name="dosim check" tests="5" failures="4" errors="0" time="0">');
    expect(junit).toContain('<testcase classname="rpc-rename-direct" name="rollback to A@100" time="0">');
    const table = renderCheckTable(report);
    expect(table).toContain("│ B                               │ ✗ 2/2 │ ·     │ ✓     │ ✓     │");
    expect(table).toContain("split the change into expand");
  });

  it("exits 2 with file:line:column for a plan naming an unknown version", async () => {
    const file = tempCheck(`name: bad\nworker: ${join(REPO_ROOT, "wrangler.toml")}\nversions: { A: {}, B: {} }\ncheck:\n  plan: C@100\n  workload:\n    - request: /\n`);
    const run = await runDosim(["check", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${file}:5:9: check.plan: "C" in "C@100" is not a version of the check; use one of A, B. [invalid-plan]\n`);
  });

  it("exits 2 for schema problems and an object of a class the Worker lacks", async () => {
    const schema = await checkInProcess([tempCheck(`name: bad\nversions: { A: {}, B: {} }\ncheck:\n  workload:\n    - request: nope\n`)]);
    expect(schema.status).toBe(2);
    expect(schema.stderr).toMatch(/check\.yaml:5:16: check\.workload\[0\]\.request: a request path starts with \//);
    const file = tempCheck(`name: bad\nworker: ${join(REPO_ROOT, "wrangler.toml")}\nversions: { A: {}, B: {} }\ncheck:\n  workload:\n    - request: /objects/{name}\n      object: Nope:foo\n`);
    const unknown = await checkInProcess([file]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/check\.yaml:6:7: check\.workload\[0\]\.object: "Nope" in "Nope:foo" is not a Durable Object class or binding of the Worker/);
  });
});
