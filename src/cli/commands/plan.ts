/**
 * `dosim plan`: which Durable Objects move, and how many reset, if a Worker is rolled out through
 * the given steps. Pure computation: no workerd, no state.
 */
import type { Command } from "commander";
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolveCodeUpdate } from "../../model/code-update.js";
import { planRollout } from "../../model/plan.js";
import { buildPlanReport, type PlanReport } from "../../model/plan-report.js";
import { generatedName, nameCount, resolveObjectSource } from "../../node/object-names.js";
import { nameAt, readNamesFile } from "../../node/names-file.js";
import { planObjects, THREADS_MIN_OBJECTS, type PlanNames, type ThreadOptions } from "../../node/plan-threads.js";
import { startPlanWorkers, type PlanWorkers } from "../../node/plan-workers.js";
import { codeUpdateOption, resolveCodeUpdateFlags } from "../code-update-flag.js";
import { EXIT, InputError } from "../exit-codes.js";

/** Above this many objects the per-object table gives way to the summary. */
export const TABLE_MAX_OBJECTS = 12;

/** The flags of `plan`, as commander gives them. */
export interface PlanFlags {
  names?: string;
  namesFile?: string;
  objects?: string;
  namespace?: string;
  config?: string;
  env?: string;
  step: string[];
  versions?: string;
  durableObjectsCodeUpdateMode?: string;
  view?: string;
  json?: boolean;
  threads?: string;
}

/** Computes the plan's report from the flags; throws InputError on bad input. */
export async function computePlan(flags: PlanFlags): Promise<PlanReport> {
  const threads = threadOption(flags.threads);
  // The worker threads start first and load while this thread reads the config and the names.
  const workers = startPlanWorkers(expectedThreads(flags, threads) - 1);
  try {
    return await planFromFlags(flags, threads, workers);
  } finally {
    workers.stop();
  }
}

async function planFromFlags(flags: PlanFlags, threads: ThreadOptions, workers: PlanWorkers): Promise<PlanReport> {
  const given = objectSource(flags);
  const names = given.names;
  const count = "bytes" in names ? names.starts.length : nameCount(names);
  // A repeated name is one object: it is counted once, and the report says how many repeats were dropped.
  if (flags.step.length === 0) throw new InputError("no-versions", "Give the rollout's steps, for example --step A@100 --step B@20,A@80 --step B@100.");
  // With --namespace the plan reads no config (loading wrangler takes a second), so only the flag applies.
  const codeUpdate = resolveCodeUpdate(await resolveCodeUpdateFlags(flags, flags.namespace === undefined));
  if (!codeUpdate.ok) throw new InputError(codeUpdate.error.code, codeUpdate.error.message);
  const declared = flags.versions?.split(",").map((label) => label.trim()).filter((label) => label.length > 0);
  const plan = planRollout(flags.step.map((spec) => ({ spec, codeUpdate: codeUpdate.value })), declared);
  if (!plan.ok) throw new InputError(plan.error.code, plan.error.message);
  // Loaded only when needed, as are the renderers below: a plan's start-up is part of its run time.
  const namespace = flags.namespace ?? (await (await import("../../node/wrangler-namespace.js")).namespaceFromWranglerConfig(flags.config, flags.env));
  const { slots, assignments, summary } = await planObjects(plan.value, namespace, names, { ...threads, workers });
  return buildPlanReport(plan.value, slots, assignments, {
    summary,
    namespace,
    names: "count" in names ? (object: number) => generatedName(names.first + object) : "bytes" in names ? (object: number) => nameAt(names, object) : names,
    includeObjects: count <= TABLE_MAX_OBJECTS || flags.view === "table",
    duplicateNamesDropped: given.duplicates,
  });
}

/** The objects to plan and how many repeated names were dropped; a names file is read as bytes (see names-file.ts). */
function objectSource(flags: PlanFlags): { names: PlanNames; duplicates: number } {
  if (flags.namesFile !== undefined && flags.names === undefined && flags.objects === undefined) return readNamesFile(flags.namesFile);
  return resolveObjectSource({
    ...(flags.names !== undefined && { names: flags.names }),
    ...(flags.namesFile !== undefined && { namesFile: flags.namesFile }),
    ...(flags.objects !== undefined && { objects: Number(flags.objects) }),
  });
}

/** Registers `plan` on the program. */
export function registerPlan(program: Command): void {
  const command = program
    .command("plan")
    .description("Show which Durable Objects move, and how many reset, at each step of a rollout.")
    .option("--names <a,b,c>", "object names, comma-separated")
    .option("--names-file <file>", "a file with one object name per line")
    .option("--objects <n>", "this many generated names (object-1, object-2, ...)")
    .option("--namespace <key>", "the namespace's unique key (default: <worker name>-<first DO class> from the wrangler config)")
    .option("-c, --config <path>", "the wrangler config to derive the namespace from (default: the one wrangler finds here or above)")
    .option("-e, --env <name>", "the environment of the wrangler config to use")
    .option("--step <spec>", "a deployment, e.g. B@20,A@80 (repeat for each step, in order)", collect, [])
    .option("--versions <a,b>", "the version labels, in upload order (default: in order of appearance)")
    .option("--view <view>", "table (one column per object) or summary (default: table up to 12 objects)")
    .option("--json", "print the report as JSON (schema dosim.plan/v1)")
    .option("--threads <n>", `threads that hash, assign and count the names (default: every core from ${withThousands(THREADS_MIN_OBJECTS)} objects on, else 1); the output is the same`);
  codeUpdateOption(command).action(async (flags: PlanFlags) => {
    const { text, exitCode } = await planOutput(flags, process.stdout);
    process.stdout.write(text);
    process.exitCode = exitCode;
  });
}

/**
 * What `plan` prints for the flags (the JSON report, the per-object table or the summary) and its
 * exit code: 1 when a guarantee does not hold. Colours only for a terminal `stream`. Throws
 * InputError on bad input.
 */
export async function planOutput(flags: PlanFlags, stream: { isTTY?: boolean }): Promise<{ text: string; exitCode: number }> {
  if (flags.view !== undefined && flags.view !== "table" && flags.view !== "summary") {
    throw new InputError("invalid-input", `--view must be table or summary (got ${flags.view}).`);
  }
  const report = await computePlan(flags);
  const exitCode = report.guarantees.every((guarantee) => guarantee.holds) ? EXIT.ok : EXIT.failed;
  if (flags.json === true) return { text: `${JSON.stringify(report, null, 2)}\n`, exitCode };
  // Loaded only when needed, as the renderers: a plan's start-up is part of its run time.
  const style = (await import("../../report/style.js")).styleFor(stream);
  const table = report.objects !== undefined && flags.view !== "summary";
  const text = table ? (await import("../../report/plan-table.js")).renderPlanTable(report, style) : (await import("../../report/plan-summary.js")).renderPlanSummary(report, style);
  return { text, exitCode };
}

/**
 * The threads the plan will likely use, known before the names are read: --threads, or every core
 * when --objects or the names file's size allows {@link THREADS_MIN_OBJECTS} names (n distinct
 * names take at least 2n - 1 bytes). planObjects decides; a thread started for nothing is stopped.
 */
function expectedThreads(flags: PlanFlags, threads: ThreadOptions): number {
  if (threads.threads !== undefined) return threads.threads;
  const many = flags.objects !== undefined ? Number(flags.objects) >= THREADS_MIN_OBJECTS : flags.namesFile !== undefined && fileSize(flags.namesFile) >= 2 * THREADS_MIN_OBJECTS - 1;
  return many ? availableParallelism() : 1;
}

/** The size of a file in bytes, 0 when it cannot be read (reading it reports why). */
function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function threadOption(threads: string | undefined): ThreadOptions {
  if (threads === undefined) return {};
  const count = Number(threads);
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new InputError("invalid-input", `--threads must be a whole number from 1 to 256 (got ${threads}).`);
  return { threads: count };
}

/** 200000 as 200,000, without toLocaleString: its first call loads locale data, a tenth of plan's start-up. */
function withThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, ",");
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
