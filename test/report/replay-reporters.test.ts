import { describe, expect, it } from "vitest";
import { erroredScenario, type ReplayReport } from "../../src/report/replay-report.js";
import { renderReplayJunit } from "../../src/report/replay-junit.js";
import { renderReplayMarkdown } from "../../src/report/replay-markdown.js";
import { renderReplayTable } from "../../src/report/replay-table.js";
import { REPORT } from "./sample-report.js";

describe("replay reporters", () => {
  it("table: the teaching view", async () => {
    await expect(renderReplayTable(REPORT)).toMatchFileSnapshot("__snapshots__/replay-table.txt");
  });

  it("junit: one test case per expectation, failures with expected vs actual, escaped", async () => {
    const xml = renderReplayJunit(REPORT);
    expect(xml).toContain('tests="3" failures="1"');
    expect(xml).toContain("docs progression &lt;A &amp; B&gt;");
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    await expect(xml).toMatchFileSnapshot("__snapshots__/replay-junit.xml");
  });

  it("markdown: a CI job summary", async () => {
    await expect(renderReplayMarkdown(REPORT)).toMatchFileSnapshot("__snapshots__/replay-markdown.md");
  });

  it("a scenario that could not be replayed: one line in the table, an <error> in JUnit, a line in markdown", () => {
    const broken = erroredScenario({ name: "broken", objects: [] }, "scenarios/00-broken.yaml", "7", {
      code: "build-failed",
      message: 'version B: the Worker does not build: b.js:4:38: Expected ")"\nbut found ";"',
    });
    const report: ReplayReport = { ...REPORT, files: ["scenarios/00-broken.yaml", ...REPORT.files], scenarios: [broken, ...REPORT.scenarios] };
    const table = renderReplayTable(report);
    expect(table).toContain('✗ scenarios/00-broken.yaml (broken) could not be replayed: version B: the Worker does not build: b.js:4:38: Expected ")"\nbut found ";" [build-failed]\n');
    expect(table).toContain("2 scenario(s): 2 passed, 1 failed, 1 errored\n");
    const xml = renderReplayJunit(report);
    expect(xml).toContain('<testsuites name="dosim replay" tests="4" failures="1" errors="1" time="0">');
    expect(xml).toContain('<testsuite id="0" name="broken" file="scenarios/00-broken.yaml" tests="1" failures="0" errors="1" skipped="0" time="0">');
    expect(xml).toContain('<error message="version B: the Worker does not build: b.js:4:38: Expected &quot;)&quot;&#10;but found &quot;;&quot;" type="build-failed">');
    expect(xml).toContain('<testsuite id="1" name="docs progression');
    const markdown = renderReplayMarkdown(report);
    expect(markdown.startsWith("# dosim replay: 2 passed, 1 failed, 1 errored\n")).toBe(true);
    expect(markdown).toContain("`scenarios/00-broken.yaml` could not be replayed: version B");
  });

  it("table: no legend of the table marks when no scenario could be replayed", () => {
    const broken = erroredScenario({ name: "broken", objects: [] }, "scenarios/00-broken.yaml", "7", { code: "build-failed", message: "version B: the Worker does not build" });
    const table = renderReplayTable({ ...REPORT, files: ["scenarios/00-broken.yaml"], scenarios: [broken] });
    expect(table).not.toContain("reset at this deployment");
    expect(renderReplayTable(REPORT)).toContain("* = reset at this deployment");
  });
});
