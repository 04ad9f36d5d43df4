/**
 * The per-object work of `dosim plan` (each name's slot, then its version at every step), in
 * chunks so a terminal can show progress, and on every core for large inputs: worker threads each
 * take a contiguous share of the names and write into shared arrays, so the result is the same
 * bytes whatever the number of threads. The model stays single-threaded and pure; this module
 * only splits its calls.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { objectSlotsFromNames } from "../model/object-slots.js";
import { assignPlan, type PlanAssignments, type RolloutPlan } from "../model/plan.js";
import { nameCount, sliceNames, type GeneratedNames, type ObjectNames } from "./object-names.js";
import { createProgress } from "./progress.js";

/** Names handled between two progress updates (and two looks at the worker threads' messages). */
export const CHUNK = 65_536;

/** From this many names on, the work is shared among worker threads. */
export const THREADS_MIN_OBJECTS = 200_000;

/** What a worker thread is given: its share of the names and where its results go. */
export interface ShareTask {
  readonly namespace: string;
  readonly plan: RolloutPlan;
  /**
   * The share's names: joined by newlines when none holds one (one string crosses to a thread
   * far faster than an array of many), else the array itself; generated names are made by the
   * thread that hashes them.
   */
  readonly names: string | readonly string[] | GeneratedNames;
  /** Index of the share's first object in the shared arrays. */
  readonly offset: number;
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
  const share = Math.ceil(count / threads);
  const progress = createProgress("Hashing object ids", count);
  let done = 0;
  const advance = (chunk: number): void => progress.update((done += chunk));
  try {
    const workers = Array.from({ length: threads - 1 }, (_, index) => {
      const offset = (index + 1) * share;
      return runWorker({ namespace: uniqueKey, plan, names: shareOf(names, offset, offset + share), offset, slots, columns }, advance);
    });
    // This thread's share is not packed: it never crosses to another thread.
    const own = "count" in names ? shareOf(names, 0, share) : names.slice(0, share);
    await planShare({ namespace: uniqueKey, plan, names: own, offset: 0, slots, columns }, advance, threads > 1);
    await Promise.all(workers);
  } finally {
    progress.finish();
  }
  return { slots: new Int32Array(slots), assignments: { objectCount: count, versionIndex: columns.map((column) => new Uint8Array(column)) } };
}

/** The names from `start` to `end` as a share carries them: generated ones stay unmade. */
function shareOf(names: ObjectNames, start: number, end: number): ShareTask["names"] {
  if ("count" in names) return { first: names.first + start, count: Math.max(0, Math.min(end, names.count) - start) };
  return packNames(names.slice(start, end));
}

/**
 * Does one share, chunk by chunk, reporting each chunk's size; with `yieldBetween`, lets other
 * events (the threads' progress) in between chunks.
 */
export async function planShare(task: ShareTask, advance: (count: number) => void, yieldBetween: boolean): Promise<void> {
  const names = typeof task.names === "string" ? task.names.split("\n") : task.names;
  const count = nameCount(names);
  const slots = new Int32Array(task.slots, task.offset * Int32Array.BYTES_PER_ELEMENT, count);
  const columns = task.columns.map((column) => new Uint8Array(column, task.offset, count));
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(start + CHUNK, count);
    const chunk = slots.subarray(start, end);
    objectSlotsFromNames(task.namespace, sliceNames(names, start, end), chunk);
    assignPlan(task.plan, chunk).versionIndex.forEach((column, step) => columns[step]!.set(column, start));
    advance(end - start);
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A share's names as they cross to a thread (see {@link ShareTask.names}). */
function packNames(names: readonly string[]): string | readonly string[] {
  return names.length === 0 || names.some((name) => name.includes("\n")) ? names : names.join("\n");
}

function runWorker(task: ShareTask, advance: (count: number) => void): Promise<void> {
  const worker = new Worker(new URL("./plan-thread.js", import.meta.url), { workerData: task });
  worker.on("message", advance);
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a planning thread stopped with exit code ${code}`))));
  });
}


