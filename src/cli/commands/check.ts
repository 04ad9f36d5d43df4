/**
 * `dosim check`: runs a workload under every caller × object × storage-writer pairing a rollout
 * makes possible, on the real workerd host, and says whether the rollout and its rollback are safe.
 * Exit 0 safe, 1 unsafe, 2 bad input, 3 a failure inside dosim.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { resolveWranglerConfig } from "../../build/find-config.js";
import { loadCheckFile } from "../../check/load.js";
import { runCheck } from "../../check/run.js";
import { versionsFromSources } from "../../check/sources.js";
import { renderCheckJunit } from "../../report/check-junit.js";
import type { CheckReport } from "../../report/check-report.js";
import { renderCheckTable } from "../../report/check-table.js";
import { styleFor } from "../../report/style.js";
import { formatIssue } from "../../scenario/issues.js";
import { EXIT, InputError } from "../exit-codes.js";

const REPORTERS = ["table", "json", "junit"] as const;

/** The flags of `check`, as commander gives them. */
export interface CheckFlags {
  config?: string;
  env?: string;
  plan?: string;
  json?: boolean;
  reporter?: string;
  out?: string;
}

function render(report: CheckReport, reporter: (typeof REPORTERS)[number], toTerminal: boolean): string {
  if (reporter === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (reporter === "junit") return renderCheckJunit(report);
  return renderCheckTable(report, toTerminal ? styleFor(process.stdout) : styleFor({}));
}

/** Where `check` writes its report (stdout) and its problems (stderr). */
export interface CheckIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const PROCESS_IO: CheckIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

/** Loads, runs and reports one check; returns the exit code. */
export async function checkCommand(file: string, sources: readonly string[], flags: CheckFlags, io: CheckIo = PROCESS_IO): Promise<number> {
  const reporter = flags.json === true ? "json" : (flags.reporter ?? "table");
  if (!(REPORTERS as readonly string[]).includes(reporter)) throw new InputError("invalid-input", `unknown reporter "${reporter}"; use ${REPORTERS.join(", ")}.`);
  const config = flags.config === undefined && sources.length === 0 ? undefined : resolveWranglerConfig(flags.config);
  const versions = sources.length === 0 ? undefined : versionsFromSources(sources, config!);
  const loaded = loadCheckFile(file, { ...(versions !== undefined && { versions }), ...(flags.plan !== undefined && { plan: flags.plan }), ...(config !== undefined && { config }), ...(flags.env !== undefined && { env: flags.env }) });
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.err(`${formatIssue(issue)}\n`);
    return EXIT.invalidInput;
  }
  let report: CheckReport;
  try {
    report = await runCheck(loaded.check);
  } catch (error) {
    if (error instanceof InputError) throw error;
    // Not the Worker's fault nor the file's: dosim failed (a bug to report), as replay says with exit 3.
    io.err(`dosim: the check failed inside dosim: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
    return EXIT.internal;
  }
  const text = render(report, reporter as (typeof REPORTERS)[number], flags.out === undefined || flags.out === "-");
  if (flags.out === undefined || flags.out === "-") io.out(text);
  else writeFileSync(flags.out, text);
  return report.verdict === "safe" ? EXIT.ok : EXIT.failed;
}

/** Registers `check` on the program. */
export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("Run a workload under every caller × object × storage-writer pairing a rollout makes possible, forward and on rollback, and say which order is safe.")
    .argument("<file>", "a check file: versions (oldest first), check: { workload, plan }")
    .argument("[versions...]", "versions in rollout order, replacing the file's: [label=]source, where source is . (the code now), a folder with its own wrangler config, or a git revision")
    .option("-c, --config <path>", "the Worker's wrangler config (default: the file's worker; with versions given here, the one wrangler finds)")
    .option("-e, --env <name>", "the config's environment, as in wrangler")
    .option("--plan <plan>", "the deployments to check, e.g. \"B@10,A@90 -> B@50,A@50 -> B@100\" (default: the file's, else each next version at 50% then 100%)")
    .option("--json", "print the report as JSON (schema dosim.check/v1); same as --reporter json")
    .option("--reporter <name>", `${REPORTERS.join(", ")} (default table)`)
    .option("--out <file>", "write the report to this file (default: stdout)")
    .action(async (file: string, sources: string[], flags: CheckFlags) => {
      process.exitCode = await checkCommand(file, sources, flags);
    });
}
