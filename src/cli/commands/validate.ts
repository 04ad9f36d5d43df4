/**
 * `dosim validate [paths..]`: loads scenario files and checks them, and the Worker configs they
 * run (readable, with a `main` that exists), without starting workerd.
 * Folders stand for the *.yaml and *.yml files directly inside them; the default is ./scenarios.
 * Exit code 0 when every file is valid, 2 when any is not.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { styleFor, type Style } from "../../report/style.js";
import { formatIssue, type ScenarioIssue } from "../../scenario/issues.js";
import { checkWorkerConfigs } from "../../scenario/config-check.js";
import { loadScenarioFile } from "../../scenario/load.js";
import type { Scenario } from "../../scenario/types.js";
import { EXIT, InputError } from "../exit-codes.js";

/** The folder validated when no path is given. */
export const DEFAULT_SCENARIO_DIR = "scenarios";

/** One file's verdict, as `--json` prints it (schema dosim.validate/v1). */
export interface ValidatedFile {
  readonly file: string;
  readonly valid: boolean;
  /** The scenario's name and step count, when it loaded. */
  readonly name?: string;
  readonly steps?: number;
  readonly issues: readonly ScenarioIssue[];
}

/** Expands folders into their scenario files (sorted); files and missing paths pass through. */
export function scenarioFiles(paths: readonly string[]): string[] {
  const given = paths.length > 0 ? paths : [DEFAULT_SCENARIO_DIR];
  const files: string[] = [];
  for (const path of given) {
    const isDir = (() => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    })();
    if (!isDir) {
      if (paths.length === 0) throw new InputError("invalid-input", `No ./${DEFAULT_SCENARIO_DIR} folder here; name the scenarios to check: dosim validate path/to/scenario.yaml`);
      files.push(path);
      continue;
    }
    const inside = readdirSync(path).filter((name) => /\.ya?ml$/i.test(name)).sort();
    if (inside.length === 0) throw new InputError("invalid-input", `${path} holds no .yaml or .yml files; name the scenarios to check.`);
    files.push(...inside.map((name) => join(path, name)));
  }
  return files;
}

/** A file's verdict, and the scenario when it is valid (the build check takes it, so no file is parsed twice). */
export interface CheckedFile {
  readonly verdict: ValidatedFile;
  readonly scenario?: Scenario;
}

/** Loads every file, checks the Worker configs of those that load, and returns the verdicts in order. */
export async function validateFiles(files: readonly string[]): Promise<CheckedFile[]> {
  const results: CheckedFile[] = [];
  for (const file of files) {
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) {
      results.push({ verdict: { file, valid: false, issues: loaded.issues } });
      continue;
    }
    const { scenario } = loaded;
    const issues = await checkWorkerConfigs(scenario, file);
    results.push(issues.length === 0 ? { verdict: { file, valid: true, name: scenario.name, steps: scenario.steps.length, issues }, scenario } : { verdict: { file, valid: false, issues } });
  }
  return results;
}

/**
 * Builds the versions of every valid file (offline, with wrangler, as a replay would); a version
 * that does not build makes its file invalid, with the build's first error as the issue.
 */
export async function checkFileBuilds(checked: readonly CheckedFile[]): Promise<ValidatedFile[]> {
  const { checkBuilds } = await import("../../scenario/check-builds.js");
  const results: ValidatedFile[] = [];
  for (const { verdict, scenario } of checked) {
    const issues = scenario !== undefined ? await checkBuilds(scenario) : [];
    results.push(issues.length === 0 ? verdict : { file: verdict.file, valid: false, issues: issues.map((issue) => ({ ...issue, file: verdict.file })) });
  }
  return results;
}

/** The human report: one line per valid file, each problem of an invalid one, and a summary. */
export function renderValidation(results: readonly ValidatedFile[], style: Style): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.valid) {
      lines.push(`${style.green("✓")} ${result.file} ${style.dim(`(${result.name}, ${result.steps} steps)`)}`);
    } else {
      lines.push(`${style.red("✗")} ${result.file}`);
      for (const issue of result.issues) lines.push(`  ${formatIssue(issue)}`);
    }
  }
  const invalid = results.filter((result) => !result.valid);
  const problems = invalid.reduce((sum, result) => sum + result.issues.length, 0);
  const summary = invalid.length === 0
    ? `${results.length} scenario(s) valid.`
    : `${results.length - invalid.length} of ${results.length} scenario(s) valid; ${problems} problem(s) in ${invalid.length} file(s).`;
  lines.push(invalid.length === 0 ? style.green(summary) : style.red(summary));
  return `${lines.join("\n")}\n`;
}

/** Registers `validate` on the program. */
export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("Check scenario files (schema, references, deploy specs) and build each version's code, without starting workerd.")
    .argument("[paths...]", `scenario files or folders of them (default: ./${DEFAULT_SCENARIO_DIR})`)
    .option("--json", "print the verdicts as JSON (schema dosim.validate/v1)")
    .option("--no-build", "check the files only, without building each version's code")
    .action(async (paths: string[], flags: { json?: boolean; build: boolean }) => {
      const checked = await validateFiles(scenarioFiles(paths));
      const results = flags.build ? await checkFileBuilds(checked) : checked.map(({ verdict }) => verdict);
      if (flags.json === true) {
        process.stdout.write(`${JSON.stringify({ schema: "dosim.validate/v1", valid: results.every((result) => result.valid), files: results }, null, 2)}\n`);
      } else {
        process.stdout.write(renderValidation(results, styleFor(process.stdout)));
      }
      process.exitCode = results.every((result) => result.valid) ? EXIT.ok : EXIT.invalidInput;
    });
}
