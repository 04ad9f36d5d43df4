/**
 * The per-object work of `dosim plan` (each name's slot, then its version at every step), in
 * chunks so a terminal can show progress, and on every core for large inputs: every thread, this
 * one included, claims the next chunk from a shared counter until none is left, and writes its
 * results at the chunk's place in shared arrays. So a thread that gets less of a busy machine
 * simply does fewer chunks, and the result is the same bytes whatever the number of threads. The
 * model stays single-threaded and pure; this module only splits its calls.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { objectSlotsFromNames, objectSlotsFromNumberedNames } from "../model/object-slots.js";
import { assignPlan, type PlanAssignments, type RolloutPlan } from "../model/plan.js";
import { GENERATED_PREFIX, nameCount, sliceNames, type GeneratedNames, type ObjectNames } from "./object-names.js";
import { createProgress } from "./progress.js";

/** Names handled per claimed chunk (and between two progress updates). */
export const CHUNK = 32_768;

/** From this many names on, the work is shared among worker threads. */
export const THREADS_MIN_OBJECTS = 200_000;

/**
 * Names as they cross to a thread: concatenated into one string with the start of each (one string
 * crosses far faster than an array of many); `starts` has one more entry, the end of the last.
 */
export interface PackedNames {
  readonly text: string;
  readonly starts: Int32Array;
}

/** What a thread is given: every name, where to claim chunks, and where its results go. */
export interface PlanTask {
  readonly namespace: string;
  readonly plan: RolloutPlan;
  /** Generated names are never made: their slots are hashed from their numbers. */
  readonly names: readonly string[] | PackedNames | GeneratedNames;
  /** One Int32: the index of the next chunk not yet claimed. */
  readonly nextChunk: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
  /** One buffer per step: the label index of each object's version. */
  readonly columns: readonly SharedArrayBuffer[];
}

/** Every object's slot, and its version at every step. */
export interface PlannedObjects {
  readonly slots: Int32Array;
  readonly assignments: PlanAssignments;
}

/** How to share the work. */
export interface ThreadOptions {
  /** Threads to use, this one included (default: every core from {@link THREADS_MIN_OBJECTS} names on, else one). */
  readonly threads?: number;
}

/** Slots and assignments of `names` under the namespace's unique key, through the plan's steps. */
export async function planObjects(plan: RolloutPlan, uniqueKey: string, names: ObjectNames, options: ThreadOptions = {}): Promise<PlannedObjects> {
  const count = nameCount(names);
  const wanted = options.threads ?? (count >= THREADS_MIN_OBJECTS ? availableParallelism() : 1);
  const threads = Math.max(1, Math.min(wanted, Math.ceil(count / CHUNK)));
  const slots = new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT);
  const columns = plan.steps.map(() => new SharedArrayBuffer(count));
  const nextChunk = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const progress = createProgress("Hashing object ids", count);
  let done = 0;
  const advance = (chunk: number): void => progress.update((done += chunk));
  try {
    const shared = threads > 1 && !("count" in names) ? packNames(names) : names;
    const workers = Array.from({ length: threads - 1 }, () => runWorker({ namespace: uniqueKey, plan, names: shared, nextChunk, slots, columns }, advance));
    // This thread reads the names as they are: they never cross to another thread.
    await planChunks({ namespace: uniqueKey, plan, names, nextChunk, slots, columns }, advance, threads > 1);
    await Promise.all(workers);
  } finally {
    progress.finish();
  }
  return { slots: new Int32Array(slots), assignments: { objectCount: count, versionIndex: columns.map((column) => new Uint8Array(column)) } };
}

/**
 * Claims chunks until none is left and does each, reporting its size; with `yieldBetween`, lets
 * other events (the threads' progress) in between chunks.
 */
export async function planChunks(task: PlanTask, advance: (count: number) => void, yieldBetween: boolean): Promise<void> {
  const count = "starts" in task.names ? task.names.starts.length - 1 : nameCount(task.names);
  const slots = new Int32Array(task.slots);
  const columns = task.columns.map((column) => new Uint8Array(column));
  const next = new Int32Array(task.nextChunk);
  for (let start = Atomics.add(next, 0, 1) * CHUNK; start < count; start = Atomics.add(next, 0, 1) * CHUNK) {
    const end = Math.min(start + CHUNK, count);
    const chunk = slots.subarray(start, end);
    const { names } = task;
    if ("count" in names) objectSlotsFromNumberedNames(task.namespace, GENERATED_PREFIX, names.first + start + 1, end - start, chunk);
    else objectSlotsFromNames(task.namespace, namesOf(names, start, end), chunk);
    assignPlan(task.plan, chunk).versionIndex.forEach((column, step) => columns[step]!.set(column, start));
    advance(end - start);
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The names from `start` to `end` (exclusive), as a list. */
function namesOf(names: readonly string[] | PackedNames, start: number, end: number): string[] {
  if (!("starts" in names)) return sliceNames(names, start, end);
  const { text, starts } = names;
  return Array.from({ length: end - start }, (_, index) => text.slice(starts[start + index]!, starts[start + index + 1]!));
}

/** Names packed to cross to the threads (see {@link PackedNames}). */
function packNames(names: readonly string[]): PackedNames {
  const starts = new Int32Array(names.length + 1);
  for (let index = 0; index < names.length; index++) starts[index + 1] = starts[index]! + names[index]!.length;
  return { text: names.join(""), starts };
}

function runWorker(task: PlanTask, advance: (count: number) => void): Promise<void> {
  const worker = new Worker(new URL("./plan-thread.js", import.meta.url), { workerData: task });
  worker.on("message", advance);
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a planning thread stopped with exit code ${code}`))));
  });
}
