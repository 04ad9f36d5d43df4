/**
 * `dosim replay [paths..]`: runs scenario files on the real workerd host and reports them. Folders
 * stand for the *.yaml / *.yml files inside them; the default is ./scenarios. Scenarios run in
 * parallel (`--jobs`, default one per core), each on its own workerd, and are reported in file
 * order, the same bytes whatever the number of jobs. `--shard i/n` replays one of n parts of the
 * files (their reports merge with `dosim merge-reports`). Reporters: `table` (the teaching view,
 * the default), `json` (schema dosim.replay/v1), `junit` and `markdown`; each `--out` writes the
 * reporter in the same position to a file. Exit code: see {@link replayExitCode}; 2 as well when a
 * file does not load (nothing is replayed then).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { defaultJobs } from "../../pool/run-pool.js";
import { parseShard, shardFiles, type Shard } from "../../pool/shard.js";
import { REPLAY_REPORT_SCHEMA, type ReplayReport } from "../../report/replay-report.js";
import { formatIssue } from "../../scenario/issues.js";
import { loadScenarioFile } from "../../scenario/load.js";
import type { Scenario } from "../../scenario/types.js";
import { EXIT, InputError } from "../exit-codes.js";
import { collect, reporterTargets, writeReports } from "./replay-output.js";
import { DEFAULT_SCENARIO_DIR, scenarioFiles } from "./validate.js";

interface ReplayFlags {
  seed?: string;
  reporter: string[];
  out: string[];
  traces?: string;
  jobs?: string;
  shard?: string;
  emit?: string;
  emitDir: string;
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

/** `--jobs`: a positive integer; the number of cores when absent. */
function jobsFlag(text: string | undefined): number {
  if (text === undefined) return defaultJobs();
  const jobs = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(jobs) || jobs < 1) {
    throw new InputError("invalid-input", `--jobs must be a whole number of at least 1 (got "${text}"); e.g. --jobs 4.`);
  }
  return jobs;
}

/** `--shard`: `current/total`, both positive, current ≤ total. */
function shardFlag(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const shard = parseShard(text);
  if (shard === undefined) throw new InputError("invalid-input", `--shard must be <current>/<total> with 1 ≤ current ≤ total (got "${text}"); e.g. --shard 2/3.`);
  return shard;
}

/** Replays the scenarios, writes every reporter and the traces, and sets the exit code. */
export async function replay(paths: readonly string[], flags: ReplayFlags): Promise<void> {
  const targets = reporterTargets(flags.reporter, flags.out);
  const jobs = jobsFlag(flags.jobs);
  const shard = shardFlag(flags.shard);
  const all = [...new Set(scenarioFiles(paths))];
  const files = shard === undefined ? all : shardFiles(all, shard);
  const scenarios = loadAll(files);
  if (scenarios === undefined) {
    process.stderr.write("dosim: nothing was replayed; fix the problems above (dosim validate checks files) [invalid-input]\n");
    process.exitCode = EXIT.invalidInput;
    return;
  }
  if (flags.emit !== undefined) {
    const written = await (await import("./replay-emit.js")).emitScenarios(flags.emit, scenarios, files, flags.emitDir);
    for (const file of written) process.stdout.write(`${path.relative(process.cwd(), file) || file}\n`);
    return;
  }
  if (shard !== undefined && files.length === 0) {
    process.stderr.write(`dosim: shard ${shard.current}/${shard.total} has no scenario files (${all.length} file(s) over ${shard.total} shards); nothing to replay.\n`);
  }
  // Loaded only now, and only with work to do: the host (Miniflare, wrangler) takes a while to import.
  const runs = files.length === 0 ? [] : await (await import("./replay-run.js")).replayScenarios(scenarios, files, { jobs, ...(flags.seed !== undefined && { seed: flags.seed }) });
  const report: ReplayReport = { schema: REPLAY_REPORT_SCHEMA, ...(shard !== undefined && { shard }), files: all, scenarios: runs.map((run) => run.report) };
  writeReports(report, targets);
  if (flags.traces !== undefined) {
    writeFileSync(flags.traces, runs.flatMap((run) => run.traces.map((event) => `${JSON.stringify({ Scenario: run.report.name, ...event })}\n`)).join(""));
  }
  process.exitCode = runs.length === 0 ? EXIT.ok : (await import("./replay-run.js")).replayExitCode(report);
}

/** Registers `replay` on the program. */
export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description("Replay scenario files on the real workerd host and report every expectation (exit 0 all hold, 1 some failed, 2 invalid input, 3 internal error).")
    .argument("[paths...]", `scenario files or folders of them (default: ./${DEFAULT_SCENARIO_DIR})`)
    .option("--seed <seed>", "replace every scenario's seed")
    .option("--reporter <name>", "table (default), json, junit, markdown or html; repeat for several", collect, [])
    .option("--out <file>", "write the reporter in the same position to this file (\"-\" for stdout); repeatable", collect, [])
    .option("--traces <file>", "write every trace event as NDJSON (one invocation per line)")
    .option("-j, --jobs <n>", "scenarios replayed at once, each on its own workerd (default: the number of cores)")
    .option("--shard <current/total>", "replay only this part of the scenario files, e.g. 2/3 (merge the reports with dosim merge-reports)")
    .option("--emit <format>", "do not replay: write each scenario's rollout as real commands (wrangler: a shell script and a runbook)")
    .option("--emit-dir <dir>", "where --emit writes", "runbooks")
    .action((paths: string[], flags: ReplayFlags) => replay(paths, flags));
}
