/**
 * `dosim replay [paths..]`: runs scenario files on the real workerd host and reports them. Folders
 * stand for the *.yaml / *.yml files inside them; the default is ./scenarios. Reporters: `table`
 * (the teaching view, the default), `json` (schema dosim.replay/v1), `junit` and `markdown`; each
 * `--out` writes the reporter in the same position to a file. Exit code 0 when every expectation
 * holds, 1 when one fails, 2 when the input cannot be used (nothing is replayed then).
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { REPLAY_REPORT_SCHEMA, expectationTotals, type ReplayReport } from "../../report/replay-report.js";
import { renderReplayJunit } from "../../report/replay-junit.js";
import { renderReplayMarkdown } from "../../report/replay-markdown.js";
import { renderReplayTable } from "../../report/replay-table.js";
import { PLAIN, styleFor, type Style } from "../../report/style.js";
import { formatIssue } from "../../scenario/issues.js";
import { loadScenarioFile } from "../../scenario/load.js";
import type { Scenario } from "../../scenario/types.js";
import { EXIT, InputError } from "../exit-codes.js";
import { DEFAULT_SCENARIO_DIR, scenarioFiles } from "./validate.js";

/** The reporters `--reporter` accepts. */
export const REPORTERS = {
  table: (report: ReplayReport, style: Style) => renderReplayTable(report, style),
  json: (report: ReplayReport) => `${JSON.stringify(report, null, 2)}\n`,
  junit: (report: ReplayReport) => renderReplayJunit(report),
  markdown: (report: ReplayReport) => renderReplayMarkdown(report),
} as const;

type ReporterName = keyof typeof REPORTERS;

interface ReplayFlags {
  seed?: string;
  reporter: string[];
  out: string[];
  traces?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Checks the reporters and pairs each with its `--out` (stdout when it has none, or "-"). */
function reporterTargets(flags: ReplayFlags): { name: ReporterName; out?: string }[] {
  const names = flags.reporter.length > 0 ? flags.reporter : ["table"];
  for (const name of names) {
    if (!(name in REPORTERS)) throw new InputError("invalid-input", `Unknown reporter "${name}"; use ${Object.keys(REPORTERS).join(", ")}.`);
  }
  if (flags.out.length > names.length) {
    throw new InputError("invalid-input", `${flags.out.length} --out for ${names.length} reporter(s); give one --reporter per --out, in the same order.`);
  }
  return names.map((name, index) => ({ name: name as ReporterName, ...(flags.out[index] !== undefined && flags.out[index] !== "-" && { out: flags.out[index] }) }));
}

/** Loads every file; any problem stops the replay before workerd starts (exit code 2). */
function loadAll(files: readonly string[]): Scenario[] | undefined {
  const scenarios: Scenario[] = [];
  let invalid = false;
  for (const file of files) {
    const loaded = loadScenarioFile(file);
    if (loaded.ok) scenarios.push(loaded.scenario);
    else {
      invalid = true;
      process.stderr.write(`✗ ${file}\n${loaded.issues.map((issue) => `  ${formatIssue(issue)}\n`).join("")}`);
    }
  }
  return invalid ? undefined : scenarios;
}

/** Replays the scenarios, writes every reporter and the traces, and sets the exit code. */
export async function replay(paths: readonly string[], flags: ReplayFlags): Promise<void> {
  const targets = reporterTargets(flags);
  const files = scenarioFiles(paths);
  const scenarios = loadAll(files);
  if (scenarios === undefined) {
    process.stderr.write("dosim: nothing was replayed; fix the problems above (dosim validate checks files) [invalid-input]\n");
    process.exitCode = EXIT.invalidInput;
    return;
  }
  // Loaded only now: the host (Miniflare, wrangler) takes a while to import, and bad input should not wait.
  const { runScenario } = await import("../../scenario/run.js");
  const reports = [];
  const traces: string[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const run = await runScenario(scenario, { ...(flags.seed !== undefined && { seed: flags.seed }), file: files[index]! });
    reports.push(run.report);
    for (const event of run.traces) traces.push(`${JSON.stringify({ Scenario: scenario.name, ...event })}\n`);
  }
  const report: ReplayReport = { schema: REPLAY_REPORT_SCHEMA, scenarios: reports };
  for (const target of targets) {
    if (target.out === undefined) process.stdout.write(REPORTERS[target.name](report, styleFor(process.stdout)));
    else writeFileSync(target.out, REPORTERS[target.name](report, PLAIN));
  }
  if (flags.traces !== undefined) writeFileSync(flags.traces, traces.join(""));
  process.exitCode = expectationTotals(report).failed === 0 ? EXIT.ok : EXIT.failed;
}

/** Registers `replay` on the program. */
export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description("Replay scenario files on the real workerd host and report every expectation (exit 0 all hold, 1 some failed, 2 invalid input).")
    .argument("[paths...]", `scenario files or folders of them (default: ./${DEFAULT_SCENARIO_DIR})`)
    .option("--seed <seed>", "replace every scenario's seed")
    .option("--reporter <name>", "table (default), json, junit or markdown; repeat for several", collect, [])
    .option("--out <file>", "write the reporter in the same position to this file (\"-\" for stdout); repeatable", collect, [])
    .option("--traces <file>", "write every trace event as NDJSON (one invocation per line)")
    .action((paths: string[], flags: ReplayFlags) => replay(paths, flags));
}
