/**
 * Merging a sharded replay's reports gives the unsharded run's report, byte for byte (JSON and
 * JUnit), for any number of shards and any order of the reports; an incomplete or mixed set of
 * reports is refused with a message that says what is wrong.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shardFiles } from "../../src/pool/shard.js";
import { renderReplayJunit } from "../../src/report/replay-junit.js";
import { mergeReplayJunit } from "../../src/report/replay-junit-merge.js";
import { mergeReplayReports } from "../../src/report/replay-merge.js";
import { erroredScenario, REPLAY_REPORT_SCHEMA, type ReplayReport, type ScenarioReport } from "../../src/report/replay-report.js";

const json = (report: ReplayReport): string => `${JSON.stringify(report, null, 2)}\n`;

/** A scenario report: errored, failing or passing, depending on its position. */
function scenario(file: string, position: number): ScenarioReport {
  const errored = erroredScenario({ name: `s${position}`, objects: ["foo"] }, file, "1", { code: "build-failed", message: 'line one\nline <two> & "three"' });
  if (position % 3 === 2) return errored;
  const { error: _none, ...replayed } = errored;
  const expectation = (passed: boolean) => ({ step: 1, name: "status", passed, expected: 200, actual: passed ? 200 : 500, message: passed ? "" : "a\nb" });
  return { ...replayed, expectations: [expectation(true), expectation(position % 3 === 0)] };
}

/** The whole run's report, and each shard's, as `dosim replay [--shard i/n]` writes them. */
function run(files: readonly string[], total: number): { whole: ReplayReport; shards: ReplayReport[] } {
  const scenarios = files.map((file, position) => scenario(file, position));
  const whole: ReplayReport = { schema: REPLAY_REPORT_SCHEMA, files, scenarios };
  const shards = Array.from({ length: total }, (_, index): ReplayReport => {
    const mine = new Set(shardFiles(files, { current: index + 1, total }));
    return { schema: REPLAY_REPORT_SCHEMA, shard: { current: index + 1, total }, files, scenarios: scenarios.filter((item) => mine.has(item.file)) };
  });
  return { whole, shards };
}

const files = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}\.yaml$/), { minLength: 1, maxLength: 12 });

describe("merge-reports", () => {
  it("JSON and JUnit: the shards' reports merge into the unsharded run's bytes, in any order", () => {
    fc.assert(
      fc.property(files, fc.integer({ min: 1, max: 6 }), fc.boolean(), (names, total, reverse) => {
        const { whole, shards } = run(names, total);
        const ordered = reverse ? [...shards].reverse() : shards;
        const merged = mergeReplayReports(ordered.map((report, index) => ({ name: `s${index}.json`, text: json(report) })));
        expect(merged.ok && json(merged.value)).toBe(json(whole));
        const junit = mergeReplayJunit(ordered.map((report, index) => ({ name: `s${index}.xml`, text: renderReplayJunit(report) })));
        expect(junit.ok && junit.value).toBe(renderReplayJunit(whole));
      }),
    );
  });

  it("refuses a missing shard, a shard given twice, another run's shard, and files that are not reports", () => {
    const { shards } = run(["a.yaml", "b.yaml", "c.yaml"], 3);
    const text = (report: ReplayReport) => json(report);
    const message = (result: ReturnType<typeof mergeReplayReports>) => (result.ok ? "merged" : result.error.message);
    expect(message(mergeReplayReports([{ name: "1.json", text: text(shards[0]!) }, { name: "2.json", text: text(shards[1]!) }]))).toBe(
      "1 of 3 scenario file(s) are in no report (first: c.yaml); is a shard's report missing?",
    );
    expect(message(mergeReplayReports([{ name: "1.json", text: text(shards[0]!) }, { name: "again.json", text: text(shards[0]!) }]))).toBe(
      "a.yaml is in both 1.json and again.json; give each shard's report once.",
    );
    const other = run(["a.yaml", "z.yaml"], 2).shards[1]!;
    expect(message(mergeReplayReports([{ name: "1.json", text: text(shards[0]!) }, { name: "other.json", text: text(other) }]))).toContain("other.json comes from another run than 1.json");
    expect(message(mergeReplayReports([{ name: "x.json", text: "{" }]))).toContain("x.json is not JSON");
    expect(message(mergeReplayReports([{ name: "plan.json", text: '{"schema":"dosim.plan/v1"}' }]))).toContain("plan.json is not a dosim replay report");
    expect(message(mergeReplayReports([]))).toContain("No reports to merge");
    const junit = mergeReplayJunit([{ name: "other.xml", text: '<?xml version="1.0"?>\n<testsuites>\n</testsuites>\n' }]);
    expect(!junit.ok && junit.error.message).toContain("other.xml is not a JUnit report written by dosim replay");
    const twice = renderReplayJunit(shards[0]!);
    const duplicate = mergeReplayJunit([{ name: "1.xml", text: twice }, { name: "again.xml", text: twice }]);
    expect(!duplicate.ok && duplicate.error.message).toBe("Scenario 0 of the run is in both 1.xml and again.xml; give each shard's report once.");
  });
});
