/**
 * `dosim replay` across scenarios that fail in every way, end to end on the real workerd host: a
 * scenario whose Worker does not build is reported as errored while the others are replayed and
 * reported (exit 2); the same files replayed in shards, one of them empty, merge with `dosim
 * merge-reports` into the unsharded run's reports, byte for byte.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ReplayReport } from "../../src/report/replay-report.js";
import { runDosim } from "../helpers/run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-shards-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sorted, these split into shards 1-4 of 5 with one file each; shard 5 has none. */
const FILES = [
  "scenarios/01-docs-progression.yaml",
  "test/scenario/fixtures/worker-syntax-error.yaml",
  "scenarios/02-reordering-versions.yaml",
  "test/scenario/fixtures/must-fail.yaml",
];
const REPORTERS = { json: "json", junit: "xml", markdown: "md" } as const;

/** Replays FILES (one shard of them with `shard`) with every reporter into `<name>.<ext>`, and the table to stdout. */
function replay(name: string, flags: readonly string[]) {
  const outs = Object.entries(REPORTERS).flatMap(([reporter, ext]) => ["--reporter", reporter, "--out", path.join(dir, `${name}.${ext}`)]);
  return runDosim(["replay", ...FILES, ...outs, "--reporter", "table", ...flags]);
}

/** The unsharded replay of FILES, two at a time, shared by the tests that read it (made by whichever runs first). */
let wholeRun: ReturnType<typeof replay> | undefined;
const whole = () => (wholeRun ??= replay("whole", ["--jobs", "2"]));

const read = (name: string): string => readFileSync(path.join(dir, name), "utf8");

describe("dosim replay: isolation, shards and merge-reports", () => {
  it("reports a scenario whose Worker does not build as errored, replays the others, and exits 2", async () => {
    const result = await whole();
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(
      '✗ test/scenario/fixtures/worker-syntax-error.yaml (worker-syntax-error) could not be replayed: version B: wrangler.toml (test/scenario/fixtures/broken/syntax-error.js): build failed: test/scenario/fixtures/broken/syntax-error.js:4:38: Expected ")" but found ";" [build-failed]\n',
    );
    expect(result.stdout).toContain("docs-progression (scenarios/01-docs-progression.yaml, seed 1)");
    expect(result.stdout).toContain("reordering-versions (scenarios/02-reordering-versions.yaml, seed 2)");
    expect(result.stdout).toContain("4 scenario(s): 84 passed, 4 failed, 1 errored\n");
  });

  it("a Worker that throws at startup: its workerd is stopped, the run ends, the other scenario is reported", async () => {
    const result = await runDosim(["replay", "test/scenario/fixtures/worker-throws-at-startup.yaml", "scenarios/02-reordering-versions.yaml", "--reporter", "json"]);
    // An error in the user's Worker: input (2), never a hang, a pass or an internal error.
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout) as ReplayReport;
    expect(report.scenarios[0]!.error?.code).toBe("version-failed-to-start");
    expect(report.scenarios[1]!.error).toBeUndefined();
    expect(report.scenarios[1]!.expectations.every((expectation) => expectation.passed)).toBe(true);
  });

  it("shards merge into the unsharded run's JSON, JUnit and markdown, byte for byte; an empty shard exits 0", async () => {
    expect((await whole()).status).toBe(2);
    const report = JSON.parse(read("whole.json")) as ReplayReport;
    expect(report.files).toEqual(FILES);
    expect(report.scenarios.map((scenario) => [scenario.file, scenario.error?.code, scenario.expectations.filter((item) => !item.passed).length])).toEqual([
      [FILES[0], undefined, 0],
      [FILES[1], "build-failed", 0],
      [FILES[2], undefined, 0],
      [FILES[3], undefined, 4],
    ]);
    expect(read("whole.xml")).toContain('<error message="version B: wrangler.toml (test/scenario/fixtures/broken/syntax-error.js): build failed: test/scenario/fixtures/broken/syntax-error.js:4:38: Expected &quot;)&quot; but found &quot;;&quot;" type="build-failed">');

    // Sorted paths: 01-docs, 02-reordering, must-fail, worker-syntax-error, then nothing.
    const statuses = [];
    for (let current = 1; current <= 5; current++) statuses.push((await replay(`shard${current}`, ["--shard", `${current}/5`, "--jobs", "1"])).status);
    expect(statuses).toEqual([0, 0, 1, 2, 0]);
    const empty = JSON.parse(read("shard5.json")) as ReplayReport;
    expect(empty).toEqual({ schema: "dosim.replay/v1", shard: { current: 5, total: 5 }, files: FILES, scenarios: [] });

    const shards = (ext: string) => [5, 3, 1, 4, 2].map((current) => path.join(dir, `shard${current}.${ext}`));
    const json = await runDosim(["merge-reports", ...shards("json"), "--reporter", "json", "--reporter", "markdown", "--out", "-", "--out", path.join(dir, "merged.md")]);
    expect(json.status).toBe(0);
    expect(json.stdout).toBe(read("whole.json"));
    expect(read("merged.md")).toBe(read("whole.md"));
    const junit = await runDosim(["merge-reports", ...shards("xml"), "--out", path.join(dir, "merged.xml")]);
    expect(junit.status).toBe(0);
    expect(read("merged.xml")).toBe(read("whole.xml"));

    const missing = await runDosim(["merge-reports", ...shards("json").slice(0, -1)]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("dosim: 1 of 4 scenario file(s) are in no report (first: scenarios/02-reordering-versions.yaml); is a shard's report missing? [invalid-input]\n");
  });

  it("says so when a shard has no files", async () => {
    const result = await runDosim(["replay", "scenarios/01-docs-progression.yaml", "--shard", "2/2", "--reporter", "json"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("dosim: shard 2/2 has no scenario files (1 file(s) over 2 shards); nothing to replay.\n");
    expect(JSON.parse(result.stdout)).toEqual({ schema: "dosim.replay/v1", shard: { current: 2, total: 2 }, files: ["scenarios/01-docs-progression.yaml"], scenarios: [] });
  });
});
