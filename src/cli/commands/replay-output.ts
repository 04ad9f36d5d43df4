/**
 * The reporters of `replay` and `merge-reports`, and where each writes: `--reporter` names them
 * (repeatable), each `--out` is the file of the reporter in the same position (stdout without one,
 * or with "-"). Files never get colours; stdout gets them on a terminal.
 */
import { writeFileSync } from "node:fs";
import { renderReplayHtml } from "../../report/replay-html.js";
import { renderReplayJunit } from "../../report/replay-junit.js";
import { renderReplayMarkdown } from "../../report/replay-markdown.js";
import type { ReplayReport } from "../../report/replay-report.js";
import { renderReplayTable } from "../../report/replay-table.js";
import { PLAIN, styleFor, type Style } from "../../report/style.js";
import { InputError } from "../exit-codes.js";

/** The reporters `--reporter` accepts. */
export const REPORTERS = {
  table: (report: ReplayReport, style: Style) => renderReplayTable(report, style),
  json: (report: ReplayReport) => `${JSON.stringify(report, null, 2)}\n`,
  junit: (report: ReplayReport) => renderReplayJunit(report),
  markdown: (report: ReplayReport) => renderReplayMarkdown(report),
  html: (report: ReplayReport) => renderReplayHtml(report),
} as const;

/** A reporter's name. */
export type ReporterName = keyof typeof REPORTERS;

/** A reporter and its file (none: stdout). */
export interface ReportTarget {
  readonly name: ReporterName;
  readonly out?: string;
}

/** Appends a repeated option's value (commander's collector). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Checks the reporters (default `fallback`) and pairs each with its `--out`. */
export function reporterTargets(reporters: readonly string[], outs: readonly string[], fallback: ReporterName = "table"): ReportTarget[] {
  const names = reporters.length > 0 ? reporters : [fallback];
  for (const name of names) {
    if (!(name in REPORTERS)) throw new InputError("invalid-input", `Unknown reporter "${name}"; use ${Object.keys(REPORTERS).join(", ")}.`);
  }
  if (outs.length > names.length) {
    throw new InputError("invalid-input", `${outs.length} --out for ${names.length} reporter(s); give one --reporter per --out, in the same order.`);
  }
  return names.map((name, index) => ({ name: name as ReporterName, ...(outs[index] !== undefined && outs[index] !== "-" && { out: outs[index] }) }));
}

/** Writes `text` to the target's file, or to stdout. */
export function writeTarget(target: ReportTarget, text: string): void {
  if (target.out === undefined) process.stdout.write(text);
  else writeFileSync(target.out, text);
}

/** Renders the report with every target's reporter and writes it. */
export function writeReports(report: ReplayReport, targets: readonly ReportTarget[]): void {
  for (const target of targets) writeTarget(target, REPORTERS[target.name](report, target.out === undefined ? styleFor(process.stdout) : PLAIN));
}
