/**
 * The per-object work of `dosim plan` (each name's slot, its version at every step, and the
 * report's counts and checks), in chunks so a terminal can show progress, and on every core for
 * large inputs: every thread, this one included, claims the next chunk from a shared counter until
 * none is left (see plan-chunks.ts). So a thread that gets less of a busy machine simply does fewer
 * chunks. This thread then only merges the chunks' small summaries, in chunk order: the result is
 * the same bytes whatever the number of threads. The model stays single-threaded and pure; this
 * module only splits its calls.
 */
import { availableParallelism } from "node:os";
import { createObjectIdFactory } from "../model/object-ids.js";
import { mergePlanSummaries, type PlanSummary } from "../model/plan-chunk.js";
import type { PlanAssignments, RolloutPlan } from "../model/plan.js";
import type { NameBytes } from "./names-file.js";
import { GENERATED_PREFIX, type ObjectNames } from "./object-names.js";
import { CHUNK, chunkNameCount, planChunks, type ChunkDone, type ChunkNames, type PackedNames, type PlanTask } from "./plan-chunks.js";
import { startPlanWorkers, type PlanWorkers } from "./plan-workers.js";
import { createProgress } from "./progress.js";

export { CHUNK } from "./plan-chunks.js";

/** The names of a plan: a list, generated ones, or a file's (see names-file.ts). */
export type PlanNames = ObjectNames | NameBytes;

/** From this many names on, the work is shared among worker threads. */
export const THREADS_MIN_OBJECTS = 200_000;

/** Every object's slot, its version at every step, and the summary of them all. */
export interface PlannedObjects {
  readonly slots: Int32Array;
  readonly assignments: PlanAssignments;
  readonly summary: PlanSummary;
}

/** How to share the work. */
export interface ThreadOptions {
  /** Threads to use, this one included (default: every core from {@link THREADS_MIN_OBJECTS} names on, else one). */
  readonly threads?: number;
  /** Threads started ahead (see plan-workers.ts), used first; the caller stops those left waiting. */
  readonly workers?: PlanWorkers;
}

/** Slots, assignments and summary of `names` under the namespace's unique key, through the plan's steps. */
export async function planObjects(plan: RolloutPlan, uniqueKey: string, names: PlanNames, options: ThreadOptions = {}): Promise<PlannedObjects> {
  const own: ChunkNames = "count" in names ? { prefix: GENERATED_PREFIX, ...names } : names;
  const count = chunkNameCount(own);
  const wanted = options.threads ?? (count >= THREADS_MIN_OBJECTS ? availableParallelism() : 1);
  const threads = Math.max(1, Math.min(wanted, Math.ceil(count / CHUNK)));
  const slots = new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT);
  const columns = plan.steps.map(() => new SharedArrayBuffer(count));
  const nextChunk = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const summaries: PlanSummary[] = [];
  const progress = createProgress("Hashing object ids", count);
  let done = 0;
  const collect = ({ chunk, summary }: ChunkDone): void => {
    summaries[chunk] = summary;
    progress.update((done += summary.objectCount));
  };
  try {
    // A list of strings crosses as one string; other names are a few numbers or shared memory.
    const shared = threads > 1 && Array.isArray(own) ? packNames(own) : own;
    const key = createObjectIdFactory(uniqueKey).hmacKey;
    const task = (given: ChunkNames): PlanTask => ({ key, plan, names: given, nextChunk, slots, columns });
    const started = options.workers ?? startPlanWorkers(0);
    const workers = Array.from({ length: threads - 1 }, () => started.run(task(shared), collect));
    // This thread reads the names as they are: they never cross to another thread.
    await planChunks(task(own), collect, threads > 1);
    await Promise.all(workers);
  } finally {
    progress.finish();
  }
  return {
    slots: new Int32Array(slots),
    assignments: { objectCount: count, versionIndex: columns.map((column) => new Uint8Array(column)) },
    summary: summaries.reduce(mergePlanSummaries),
  };
}

/** Names packed to cross to the threads (see {@link PackedNames}). */
function packNames(names: readonly string[]): PackedNames {
  const starts = new Int32Array(names.length + 1);
  for (let index = 0; index < names.length; index++) starts[index + 1] = starts[index]! + names[index]!.length;
  return { text: names.join(""), starts };
}
