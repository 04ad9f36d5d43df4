/**
 * `dosim merge-reports <files..>`: merges the reports of a sharded replay (`dosim replay --shard
 * i/n`) into the report the unsharded run gives, byte for byte. JSON reports (`--reporter json`)
 * merge into any reporter (default json); JUnit reports (`--reporter junit`) merge into JUnit. A
 * shard's report that is missing, given twice or from another run is refused (exit 2). The exit
 * code is 0 once merged: each shard's own exit code says whether its scenarios passed.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Result } from "../../model/errors.js";
import { mergeReplayJunit } from "../../report/replay-junit-merge.js";
import { mergeReplayReports, type ReportText } from "../../report/replay-merge.js";
import { EXIT, InputError } from "../exit-codes.js";
import { collect, reporterTargets, writeReports, writeTarget } from "./replay-output.js";

interface MergeFlags {
  reporter: string[];
  out: string[];
}

function readReport(file: string): ReportText {
  try {
    return { name: file, text: readFileSync(file, "utf8") };
  } catch (error) {
    throw new InputError("invalid-input", `Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); name the report each shard wrote.`);
  }
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new InputError(result.error.code, result.error.message);
  return result.value;
}

/** Merges the reports and writes every reporter. */
export function mergeReports(files: readonly string[], flags: MergeFlags): void {
  const inputs = files.map(readReport);
  const junit = inputs.map((input) => input.text.trimStart().startsWith("<"));
  if (junit.some((isJunit) => isJunit !== junit[0])) {
    throw new InputError("invalid-input", "Some reports are JUnit and some JSON; merge the shards' reports of one kind.");
  }
  if (junit[0] === true) {
    const targets = reporterTargets(flags.reporter, flags.out, "junit");
    if (targets.some((target) => target.name !== "junit")) {
      throw new InputError("invalid-input", "JUnit reports merge into JUnit only; for other reporters, merge the shards' --reporter json reports.");
    }
    const merged = valueOf(mergeReplayJunit(inputs));
    for (const target of targets) writeTarget(target, merged);
  } else {
    writeReports(valueOf(mergeReplayReports(inputs)), reporterTargets(flags.reporter, flags.out, "json"));
  }
  process.exitCode = EXIT.ok;
}

/** Registers `merge-reports` on the program. */
export function registerMergeReports(program: Command): void {
  program
    .command("merge-reports")
    .description("Merge the reports of a sharded replay (dosim replay --shard i/n) into the report of the whole run.")
    .argument("<files...>", "every shard's report: all JSON (--reporter json) or all JUnit (--reporter junit)")
    .option("--reporter <name>", "json (default for JSON reports), junit (default for JUnit reports), table or markdown; repeat for several", collect, [])
    .option("--out <file>", "write the reporter in the same position to this file (\"-\" for stdout); repeatable", collect, [])
    .action((files: string[], flags: MergeFlags) => mergeReports(files, flags));
}
