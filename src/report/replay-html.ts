/**
 * `--reporter html`: one self-contained page per replay (inline style and script, no network), to
 * open from a CI artifact or `file://`. Like the other reporters it is a pure function of the
 * report, so the same scenarios and seed give the same bytes.
 */
import { escapeHtml, scriptJson } from "./html/escape.js";
import { PAGE_SCRIPT } from "./html/page-script.js";
import { PAGE_STYLE } from "./html/page-style.js";
import { scenarioSection } from "./html/scenario-section.js";
import { totalsLine, type ReplayReport } from "./replay-report.js";

/** Renders the report as an HTML document. */
export function renderReplayHtml(report: ReplayReport): string {
  const totals = `${report.scenarios.length} scenario(s): ${totalsLine(report)}`;
  const toc = report.scenarios.map((scenario, index) => `<li><a href="#scenario-${index + 1}">${escapeHtml(scenario.name)}</a></li>`);
  const data = { scenarios: report.scenarios.map((scenario) => scenario.objectDetails ?? []) };
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>dosim replay — ${escapeHtml(totals)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    "</head>",
    "<body>",
    "<header>",
    "<h1>dosim replay</h1>",
    `<p class="totals">${escapeHtml(totals)}${report.shard !== undefined ? ` <span class="muted">(shard ${report.shard.current}/${report.shard.total})</span>` : ""}</p>`,
    `<nav aria-label="scenarios"><ol>${toc.join("")}</ol></nav>`,
    "</header>",
    "<main>",
    ...report.scenarios.map((scenario, index) => scenarioSection(index, scenario)),
    "</main>",
    '<aside id="detail" aria-live="polite" aria-label="object detail" hidden></aside>',
    `<script type="application/json" id="dosim-report">${scriptJson(data)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
