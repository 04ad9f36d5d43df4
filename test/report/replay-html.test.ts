/**
 * The HTML reporter as a function of the report: deterministic bytes, nothing fetched, every
 * scenario string escaped, failed expectations first, and a size that stays small whatever the
 * number of objects. (test/browser/ drives the page itself in Chromium.)
 */
import { describe, expect, it } from "vitest";
import { renderReplayHtml } from "../../src/report/replay-html.js";
import { erroredScenario, type ReplayReport, type ScenarioReport } from "../../src/report/replay-report.js";
import { REPORT } from "./sample-report.js";

const HOSTILE = '</script><img src=x onerror="alert(1)">';

describe("replay --reporter html", () => {
  it("gives the same bytes for the same report, and references nothing outside the page", () => {
    const html = renderReplayHtml(REPORT);
    expect(renderReplayHtml(structuredClone(REPORT))).toBe(html);
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });

  it("escapes every string of the scenario, in markup and in the embedded data", () => {
    const scenario: ScenarioReport = {
      ...REPORT.scenarios[0]!,
      name: HOSTILE,
      objects: [HOSTILE],
      deployments: REPORT.scenarios[0]!.deployments.map((deployment) => ({ ...deployment, objects: { [HOSTILE]: { version: "A", reset: false } } })),
      objectDetails: [{ name: HOSTILE, id: "ab", slot: 7, history: [{ step: 1, version: "A" }], resets: [], ends: [] }],
    };
    const html = renderReplayHtml({ ...REPORT, scenarios: [scenario] });
    expect(html).not.toContain("<img");
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain("&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("\\u003c/script>\\u003cimg");
  });

  it("lists failed expectations before the ones that held, and marks refused steps with their code", () => {
    const html = renderReplayHtml(REPORT);
    const failed = html.indexOf("objects.bar.version");
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(html.indexOf("objects.foo.version"));
    expect(html).toMatch(/<tr class="failed"><th scope="row">3<\/th><td><code>deploy A@50,B@40,C@10<\/code><\/td><td><strong>refused<\/strong>: .*<code>too-many-versions<\/code>/);
    expect(html).toContain(">B*</button>");
    expect(html).toContain(">A~</button>");
  });

  it("tells a scenario that could not be replayed by its error, with no grid", () => {
    const broken = erroredScenario({ name: "broken", objects: [] }, "scenarios/00-broken.yaml", "7", { code: "build-failed", message: "version B: the Worker does not build" });
    const html = renderReplayHtml({ ...REPORT, files: [broken.file], scenarios: [broken] });
    expect(html).toContain("⚠ could not be replayed");
    expect(html).toContain("version B: the Worker does not build <code>build-failed</code>");
    expect(html).not.toContain('<table class="grid">');
  });

  it("stays under 2 MB for a scenario of 10,000 objects over 50 deployments", () => {
    const deployments = Array.from({ length: 50 }, (_, index) => {
      const b = (index * 2) % 101;
      return {
        step: index + 1,
        source: "versions-deploy",
        entries: [{ label: "B", percentage: b }, { label: "A", percentage: 100 - b }],
        objects: {},
        shares: [
          { label: "B", requestedPercentage: b, objects: b * 100, realisedPercentage: b },
          { label: "A", requestedPercentage: 100 - b, objects: (100 - b) * 100, realisedPercentage: 100 - b },
        ],
      };
    });
    const big: ReplayReport = { ...REPORT, scenarios: [{ ...REPORT.scenarios[0]!, objects: [], objectDetails: [], deployments }] };
    const html = renderReplayHtml(big);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(html.match(/class="strip"/g)).toHaveLength(50);
  });
});
