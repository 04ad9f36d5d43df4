/**
 * `dosim replay` across scenarios that fail in every way, end to end on the real workerd host: a
 * scenario whose Worker does not build and one whose Worker throws at startup are reported as
 * errored while the others are replayed and reported (exit 2); the same files replayed in shards,
 * one of them empty, merge with `dosim merge-reports` into the unsharded run's reports, byte for
 * byte. Each replay is one process that starts a host per scenario, so the tests read two sets of
 * runs made once: the unsharded run and the shards.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ReplayReport } from "../../src/report/replay-report.js";
import { runDosim, type CliRun } from "../helpers/run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-shards-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sorted, these split into shards 1-4 of 5 with one file each; shard 5 has none. */
const FILES = [
  "scenarios/01-docs-progression.yaml",
  "test/scenario/fixtures/worker-syntax-error.yaml",
  "test/scenario/fixtures/worker-throws-at-startup.yaml",
  "test/scenario/fixtures/must-fail.yaml",
];
const REPORTERS = { json: "json", junit: "xml", markdown: "md" } as const;

/** Replays FILES (one shard of them with `shard`) with every reporter into `<name>.<ext>`, and the table to stdout. */
function replay(name: string, flags: readonly string[]): Promise<CliRun> {
  const outs = Object.entries(REPORTERS).flatMap(([reporter, ext]) => ["--reporter", reporter, "--out", path.join(dir, `${name}.${ext}`)]);
  return runDosim(["replay", ...FILES, ...outs, "--reporter", "table", ...flags]);
}

/** The unsharded replay of FILES, two at a time, shared by the tests that read it (made by whichever runs first). */
let wholeRun: Promise<CliRun> | undefined;
const whole = () => (wholeRun ??= replay("whole", ["--jobs", "2"]));

/** Shards 1-5 of 5, one after the other (each starts its own host), shared like the whole run. */
let shardRuns: Promise<CliRun[]> | undefined;
const shards = () =>
  (shardRuns ??= (async () => {
    const runs: CliRun[] = [];
    for (let current = 1; current <= 5; current++) runs.push(await replay(`shard${current}`, ["--shard", `${current}/5`, "--jobs", "1"]));
    return runs;
  })());

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
    expect(result.stdout).toContain("must-fail (test/scenario/fixtures/must-fail.yaml, seed 1)");
    expect(result.stdout).toContain("4 scenario(s): 50 passed, 4 failed, 2 errored\n");
  });

  it("a Worker that throws at startup: its workerd is stopped, the run ends, the other scenarios are reported", async () => {
    // An error in the user's Worker: input (2), never a hang, a pass or an internal error.
    expect((await whole()).status).toBe(2);
    const report = JSON.parse(read("whole.json")) as ReplayReport;
    const [docs, , throws] = report.scenarios;
    expect(throws!.error?.code).toBe("version-failed-to-start");
    expect(docs!.error).toBeUndefined();
    expect(docs!.expectations.every((expectation) => expectation.passed)).toBe(true);
  });

  it("shards merge into the unsharded run's JSON, JUnit and markdown, byte for byte; an empty shard exits 0", async () => {
    expect((await whole()).status).toBe(2);
    const report = JSON.parse(read("whole.json")) as ReplayReport;
    expect(report.files).toEqual(FILES);
    expect(report.scenarios.map((scenario) => [scenario.file, scenario.error?.code, scenario.expectations.filter((item) => !item.passed).length])).toEqual([
      [FILES[0], undefined, 0],
      [FILES[1], "build-failed", 0],
      [FILES[2], "version-failed-to-start", 0],
      [FILES[3], undefined, 4],
    ]);
    expect(read("whole.xml")).toContain('<error message="version B: wrangler.toml (test/scenario/fixtures/broken/syntax-error.js): build failed: test/scenario/fixtures/broken/syntax-error.js:4:38: Expected &quot;)&quot; but found &quot;;&quot;" type="build-failed">');

    // Sorted paths: 01-docs, must-fail, worker-syntax-error, worker-throws-at-startup, then nothing.
    expect((await shards()).map((run) => run.status)).toEqual([0, 1, 2, 2, 0]);

    const reports = (ext: string) => [5, 3, 1, 4, 2].map((current) => path.join(dir, `shard${current}.${ext}`));
    const json = await runDosim(["merge-reports", ...reports("json"), "--reporter", "json", "--reporter", "markdown", "--out", "-", "--out", path.join(dir, "merged.md")]);
    expect(json.status).toBe(0);
    expect(json.stdout).toBe(read("whole.json"));
    expect(read("merged.md")).toBe(read("whole.md"));
    const junit = await runDosim(["merge-reports", ...reports("xml"), "--out", path.join(dir, "merged.xml")]);
    expect(junit.status).toBe(0);
    expect(read("merged.xml")).toBe(read("whole.xml"));

    const missing = await runDosim(["merge-reports", ...reports("json").slice(0, -1)]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("dosim: 1 of 4 scenario file(s) are in no report (first: test/scenario/fixtures/must-fail.yaml); is a shard's report missing? [invalid-input]\n");
  });

  it("says so when a shard has no files, and reports none", async () => {
    const empty = (await shards())[4]!;
    expect(empty.status).toBe(0);
    expect(empty.stderr).toBe("dosim: shard 5/5 has no scenario files (4 file(s) over 5 shards); nothing to replay.\n");
    expect(JSON.parse(read("shard5.json"))).toEqual({ schema: "dosim.replay/v1", shard: { current: 5, total: 5 }, files: FILES, scenarios: [] });
  });
});
