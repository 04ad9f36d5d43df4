/**
 * Merges the JSON reports of a sharded replay (`dosim replay --shard i/n --reporter json`) into the
 * report the unsharded run gives, byte for byte: every shard's report lists the whole run's files,
 * so the scenarios go back in run order, and a shard that is missing, given twice or from another
 * run is refused rather than merged into a report that looks complete.
 */
import { fail, ok, type Result } from "../model/errors.js";
import { REPLAY_REPORT_SCHEMA, type ReplayReport, type ScenarioReport } from "./replay-report.js";

/** A report file's name (for messages) and its text. */
export interface ReportText {
  readonly name: string;
  readonly text: string;
}

/** Reads one report, checking the fields merging relies on. */
function parseReport(input: ReportText): Result<ReplayReport> {
  let value: unknown;
  try {
    value = JSON.parse(input.text);
  } catch (error) {
    return fail("invalid-input", `${input.name} is not JSON (${error instanceof Error ? error.message : String(error)}); give the files dosim replay --reporter json wrote.`);
  }
  const report = value as Partial<ReplayReport> | null;
  if (report === null || typeof report !== "object" || report.schema !== REPLAY_REPORT_SCHEMA) {
    return fail("invalid-input", `${input.name} is not a dosim replay report (no "schema": "${REPLAY_REPORT_SCHEMA}"); give the files dosim replay --reporter json wrote.`);
  }
  const files = report.files;
  if (!Array.isArray(files) || !files.every((file) => typeof file === "string") || !Array.isArray(report.scenarios)) {
    return fail("invalid-input", `${input.name} has no "files" list of its run; it was written by an older dosim: replay the shards again.`);
  }
  if (!report.scenarios.every((scenario: ScenarioReport) => typeof scenario === "object" && scenario !== null && files.includes(scenario.file))) {
    return fail("invalid-input", `${input.name} holds a scenario that is not among its run's "files"; the file was changed by hand.`);
  }
  return ok(report as ReplayReport);
}

/** Merges shard reports into the whole run's report (without `shard`), or says why it cannot. */
export function mergeReplayReports(inputs: readonly ReportText[]): Result<ReplayReport> {
  if (inputs.length === 0) return fail("invalid-input", "No reports to merge; name the JSON reports of every shard.");
  const reports: ReplayReport[] = [];
  for (const input of inputs) {
    const parsed = parseReport(input);
    if (!parsed.ok) return parsed;
    reports.push(parsed.value);
  }
  const files = reports[0]!.files;
  const byFile = new Map<string, { scenario: ScenarioReport; from: string }>();
  for (const [index, report] of reports.entries()) {
    const name = inputs[index]!.name;
    if (JSON.stringify(report.files) !== JSON.stringify(files)) {
      return fail("invalid-input", `${name} comes from another run than ${inputs[0]!.name} (their scenario files differ); merge the shards of one run.`);
    }
    for (const scenario of report.scenarios) {
      const seen = byFile.get(scenario.file);
      if (seen !== undefined) return fail("invalid-input", `${scenario.file} is in both ${seen.from} and ${name}; give each shard's report once.`);
      byFile.set(scenario.file, { scenario, from: name });
    }
  }
  const missing = files.filter((file) => !byFile.has(file));
  if (missing.length > 0) {
    return fail("invalid-input", `${missing.length} of ${files.length} scenario file(s) are in no report (first: ${missing[0]}); is a shard's report missing?`);
  }
  return ok({ schema: REPLAY_REPORT_SCHEMA, files, scenarios: files.map((file) => byFile.get(file)!.scenario) });
}
