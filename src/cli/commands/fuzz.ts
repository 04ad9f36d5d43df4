/**
 * `dosim fuzz [scenario]`: searches for a rollout that breaks the Worker. It generates random
 * rollouts of the given versions (uploads, gradual deploys, rollbacks, secret changes, code-update
 * strategies, waits and idle objects, between requests, bulk traffic, and the WebSockets and calls
 * the fuzz file's `fuzz:` block declares), runs each on workerd,
 * and checks after every step what the docs promise and what the Worker must keep (see
 * src/fuzz/oracle.ts). A rollout that breaks is shrunk and written as a scenario file.
 * Exit code: 0 nothing broke, 1 a rollout broke (its file is printed), 2 bad input.
 */
import path from "node:path";
import type { Command } from "commander";
import { createProgress, type Progress } from "../../node/progress.js";
import { EXIT, InputError } from "../exit-codes.js";
import { collect } from "../verb.js";

interface FuzzFlags {
  readonly config?: string;
  readonly version?: string[];
  readonly runs: string;
  readonly seed?: string;
  readonly maxSteps: string;
  readonly out: string;
  readonly path: string;
  readonly method: string;
  readonly countField: string;
}

/** A whole-number flag within [min, max]. */
function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new InputError("invalid-input", `${flag} must be a whole number from ${min} to ${max} (got "${text}").`);
  return value;
}

/** Runs the search and reports it; sets the exit code. */
export async function fuzzCommand(scenario: string | undefined, flags: FuzzFlags): Promise<void> {
  const runs = wholeNumber("--runs", flags.runs, 1, 1_000_000);
  const maxSteps = wholeNumber("--max-steps", flags.maxSteps, 1, 200);
  const seed = flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : wholeNumber("--seed", flags.seed, 0, 2 ** 31 - 1);
  const { resolveTarget } = await import("../../fuzz/target.js");
  const target = resolveTarget({ ...(scenario !== undefined && { scenario }), ...(flags.config !== undefined && { config: flags.config }), version: flags.version ?? [], path: flags.path, method: flags.method, countField: flags.countField });
  // Loaded only now: the host (Miniflare, wrangler) takes a while to import.
  const { countJson, fuzz } = await import("../../fuzz/index.js");
  process.stderr.write(`Fuzzing ${path.relative(process.cwd(), target.config) || target.config} over ${target.versions.map((version) => version.label).join(", ")}: ${runs} rollout(s) of up to ${maxSteps} steps, --seed ${seed}\n`);
  let progress: Progress = createProgress("Fuzzing", runs);
  let shrinkingShown = false;
  const result = await fuzz(target, {
    runs,
    seed,
    maxSteps,
    out: flags.out,
    maxShrinkRuns: 300,
    onRun: (searched, shrinking) => {
      if (shrinking === 0) return progress.update(searched);
      if (!shrinkingShown) {
        progress.finish();
        progress = createProgress("Shrinking", 300);
        shrinkingShown = true;
      }
      progress.update(shrinking);
    },
    onCountDropped: () => {
      progress.finish();
      progress = createProgress("Fuzzing", runs);
      process.stderr.write(`A first request to ${target.request.path} does not answer ${JSON.stringify(countJson(target.countField!, 1))}, so stored writes are not counted (--count-field names the field).\n`);
    },
  }).finally(() => progress.finish());
  if (result.finding === undefined) {
    process.stdout.write(`✓ ${result.runs} rollout(s) ran; nothing broke (--seed ${seed}).\n`);
    process.exitCode = EXIT.ok;
    return;
  }
  const finding = result.finding;
  process.stdout.write(
    `✗ Rollout ${finding.foundAtRun} broke: ${finding.failure}\n` +
      `  Shrunk to ${finding.steps} steps (${finding.shrinkRuns} rollout(s) tried while shrinking); written to:\n` +
      `${finding.file}\n` +
      `  Replay it: dosim replay ${finding.file}\n`,
  );
  process.exitCode = EXIT.failed;
}

/** Registers `fuzz` on the program. */
export function registerFuzz(program: Command): void {
  program
    .command("fuzz")
    .description("Search for a rollout that breaks your Worker; write the shortest one found as a scenario (exit 0 nothing broke, 1 one did, 2 invalid input).")
    .argument("[scenario]", "a fuzz file: a scenario file whose worker, versions, objects, codeUpdate and limits to fuzz over (its request steps with an expect: invariants checked after every step), with an optional fuzz: block of WebSocket endpoints and calls")
    .option("-c, --config <path>", "the Worker's wrangler config (default: the scenario's worker, else the one wrangler finds here or above)")
    .option("--version <NAME=path>", "a version to roll out: NAME and its entry module or wrangler config; repeatable", collect)
    .option("--runs <n>", "rollouts to try", "50")
    .option("--seed <n>", "the seed of the search (default: random, and printed)")
    .option("--max-steps <n>", "the longest rollout, in steps after the first deploy", "24")
    .option("--out <file>", "where to write a rollout that breaks", "fuzz-failure.yaml")
    .option("--path <path>", "the request that reaches an object; {name} stands for its name", "/objects/{name}")
    .option("--method <method>", "that request's method", "GET")
    .option("--count-field <field>", "the JSON field of its answer that counts the object's stored writes; a dotted path reaches a nested one (none: do not count)", "count")
    .action((scenario: string | undefined, flags: FuzzFlags) => fuzzCommand(scenario, flags));
}
