/**
 * `dosim replay` end to end, on the real workerd host: every shipped scenario passes, a second run
 * with another number of jobs gives the same bytes in every reporter, wrong expectations exit 1,
 * invalid files exit 2.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/cli/exit-codes.js";
import { replay } from "../../src/cli/commands/replay.js";
import type { ReplayReport } from "../../src/report/replay-report.js";
import { runDosim } from "../helpers/run-cli.js";
import { SHIPPED_JOBS, shippedReplay } from "../helpers/shipped-replay.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REPORTERS = { json: "report.json", table: "report.txt", junit: "report.xml", markdown: "report.md" } as const;

/**
 * The scenarios replayed a second time with another number of jobs (the reporters are pure
 * functions of the report, tested on their own): a rollback, waits and idleness, and traffic held
 * in flight across resets.
 */
const SAME_BYTES_FILES = ["05-rollback-mid-rollout.yaml", "08-deferred-code-updates.yaml", "10-requests-in-flight-during-a-reset.yaml"].map((name) => `scenarios/${name}`);

/** A scenario whose expectations are wrong on purpose, replayed in the same run (a process of its own would start node and Miniflare again). */
const MUST_FAIL = "test/scenario/fixtures/must-fail.yaml";

/** The second replay: how it ended and its JSON report. */
interface SecondRun {
  readonly status: number | null;
  readonly report: ReplayReport;
}

/**
 * Replays SAME_BYTES_FILES and MUST_FAIL, three at once, with every reporter into `run2/`; made
 * once, by whichever test asks first.
 */
let secondRun: Promise<SecondRun> | undefined;
function replayAgain(): Promise<SecondRun> {
  secondRun ??= (async () => {
    const out = path.join(dir, "run2");
    const flags = Object.entries(REPORTERS).flatMap(([reporter, file]) => ["--reporter", reporter, "--out", path.join(out, file)]);
    mkdirSync(out, { recursive: true });
    const result = await runDosim(["replay", ...SAME_BYTES_FILES, MUST_FAIL, ...flags, "--traces", path.join(out, "traces.ndjson"), "--jobs", "3"]);
    if (result.status !== 1) console.error(result.stdout, result.stderr);
    return { status: result.status, report: JSON.parse(readFileSync(path.join(out, REPORTERS.json), "utf8")) as ReplayReport };
  })();
  return secondRun;
}

describe("dosim replay", () => {
  it("replays every shipped scenario on workerd, each expectation holding", async () => {
    const { report, run, file } = await shippedReplay();
    expect(run.status).toBe(0);
    expect(report.scenarios).toHaveLength(11);
    expect(report.files).toEqual(report.scenarios.map((scenario) => scenario.file));
    for (const scenario of report.scenarios) {
      expect(scenario.expectations.filter((expectation) => !expectation.passed)).toEqual([]);
      // Every version was hosted from the start: no restart of workerd, not even for 101 uploads.
      expect(scenario.simulatorEvents).toEqual([]);
      expect(scenario.file).toMatch(/^scenarios\/\d\d-[a-z-]+\.yaml$/);
    }
    expect(report.scenarios.find((scenario) => scenario.name === "deployable-version-window")!.versions).toHaveLength(101);
    expect(readFileSync(file("traces.ndjson"), "utf8").split("\n")[0]).toMatch(/^\{"Scenario":"docs-progression","EventTimestampMs":/);
  });

  it("gives the same scenario reports and traces with three scenarios at once (--jobs 3)", async () => {
    const shipped = await shippedReplay();
    const first = shipped.report;
    // Three scenarios with a rollback, waits, traffic, holds and resets, all at once, each on its own
    // workerd (the shared replay ran two at a time): they end in another order, and each
    // scenario's report and traces do not change.
    expect(SHIPPED_JOBS).not.toBe(3);
    const files = SAME_BYTES_FILES;
    // Exit 1 is must-fail's (the next test); every other scenario's expectations hold, as compared here.
    const { status, report: second } = await replayAgain();
    expect(status).toBe(1);
    expect(second.files).toEqual([...files, MUST_FAIL]);
    const again = second.scenarios.filter((scenario) => files.includes(scenario.file));
    expect(JSON.stringify(again)).toBe(JSON.stringify(first.scenarios.filter((scenario) => files.includes(scenario.file))));
    const names = new Set(again.map((scenario) => scenario.name));
    // The same events, scenario by scenario in file order. Within a scenario, events are in the
    // order their invocations ended, and `Seq` counts that order: requests that run concurrently
    // (scenario 10 sends 24 at once, held across a reset) end in an order the machine's load
    // decides, so their lines are compared without `Seq`, as a sorted list.
    const traces = (file: string) => {
      const lines = readFileSync(file, "utf8").split("\n").filter((line) => line !== "");
      const events = lines.map((line) => JSON.parse(line) as { Scenario: string; Seq?: number }).filter((event) => names.has(event.Scenario));
      const scenarios = [...new Set(events.map((event) => event.Scenario))];
      const canonical = events.map(({ Seq: _seq, ...event }) => JSON.stringify(event)).sort();
      return { scenarios, canonical };
    };
    expect(traces(path.join(dir, "run2", "traces.ndjson"))).toEqual(traces(shipped.file("traces.ndjson")));
  });

  it("exits 1 and names every expectation that failed, expected vs actual", async () => {
    const { status, report } = await replayAgain();
    expect(status).toBe(1);
    expect(report.scenarios.filter((scenario) => scenario.expectations.some((expectation) => !expectation.passed)).map((scenario) => scenario.file)).toEqual([MUST_FAIL]);
    const failed = report.scenarios.find((scenario) => scenario.file === MUST_FAIL)!.expectations.filter((expectation) => !expectation.passed);
    expect(failed.map(({ step, name, expected, actual }) => ({ step, name, expected, actual }))).toEqual([
      { step: 3, name: "objects.foo", expected: "A", actual: "B" },
      { step: 3, name: "resets.step", expected: 5, actual: 1 },
      { step: 4, name: "body", expected: "Hello from version A", actual: "Howdy from version B" },
      { step: 5, name: "refused", expected: "10220", actual: "not refused" },
    ]);
  });

  it("exits 2 on an invalid scenario, prints where, and replays nothing", async () => {
    const result = await runDosim(["replay", "test/scenario/fixtures/must-be-refused.yaml", "scenarios/01-docs-progression.yaml"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("must-be-refused.yaml:7:13: steps[1].deploy:");
  });

  it("exits 2 on an unknown reporter, a missing file, or --jobs / --shard that cannot be used", async () => {
    expect((await runDosim(["replay", "--reporter", "xml"])).status).toBe(2);
    expect((await runDosim(["replay", "nope.yaml"])).status).toBe(2);
    // Through the binary, one value of each flag (the exit code and the message's line); the
    // other values that cannot be used are refused by the same parsers, called in-process.
    for (const flags of [["--jobs", "0"], ["--shard", "3/2"]]) {
      const result = await runDosim(["replay", ...flags]);
      expect(result.status, flags.join(" ")).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^dosim: ${flags[0]} must be .*\\[invalid-input\\]\n$`));
    }
    for (const [flag, value] of [["jobs", "0"], ["jobs", "two"], ["shard", "3/2"], ["shard", "1"]] as const) {
      const refused = replay([], { reporter: [], out: [], emitDir: "runbooks", [flag]: value });
      await expect(refused, `--${flag} ${value}`).rejects.toThrow(new RegExp(`^--${flag} must be `));
      await expect(refused).rejects.toBeInstanceOf(InputError);
    }
  });

  it("--seed replaces the scenario's seed: other version ids, the same objects and resets", async () => {
    const result = await runDosim(["replay", "scenarios/01-docs-progression.yaml", "--seed", "42", "--reporter", "json"]);
    expect(result.status).toBe(0);
    const scenario = (JSON.parse(result.stdout) as ReplayReport).scenarios[0]!;
    expect(scenario.seed).toBe("42");
    // The same scenario with its own seed, from the replay of every shipped scenario.
    const own = (await shippedReplay()).report.scenarios.find((entry) => entry.file === "scenarios/01-docs-progression.yaml")!;
    expect(own.seed).not.toBe("42");
    expect(scenario.versions[0]!.id).not.toBe(own.versions[0]!.id);
  });
});
