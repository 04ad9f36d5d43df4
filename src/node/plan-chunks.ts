/**
 * The chunk loop of `dosim plan`, run alike by the main thread and by each worker thread: claim
 * the next chunk of objects from a shared counter, hash its names to slots, assign it at every
 * step, write both into shared arrays at the chunk's place, and reduce it to a small summary. A
 * worker thread loads only this file and the model it calls, so that it starts quickly: it is
 * given the namespace's HMAC key, prepared, so it loads neither the id factory nor SHA-256.
 */
import type { HmacSha256Key } from "../model/hmac-sha256.js";
import { slotsOfNameBytes, slotsOfNames, slotsOfNumberedNames } from "../model/name-slots.js";
import { assignPlan, summarizePlan, type PlanSummary } from "../model/plan-chunk.js";
import type { RolloutPlan } from "../model/plan.js";
import type { NameBytes } from "./names-file.js";

/** Names handled per claimed chunk (and between two progress updates). */
export const CHUNK = 32_768;

/**
 * Names as they cross to a thread: concatenated into one string with the start of each (one string
 * crosses far faster than an array of many); `starts` has one more entry, the end of the last.
 */
export interface PackedNames {
  readonly text: string;
  readonly starts: Int32Array;
}

/** Names `<prefix><first + 1>` ... `<prefix><first + count>`, never made: hashed from their numbers. */
export interface NumberedNames {
  readonly prefix: string;
  readonly first: number;
  readonly count: number;
}

/** The names as a thread sees them (names from a file as bytes in shared memory: never copied). */
export type ChunkNames = readonly string[] | PackedNames | NumberedNames | NameBytes;

/** What a thread is given: every name, where to claim chunks, and where its results go. */
export interface PlanTask {
  /** The namespace's prepared HMAC key (see object-ids.ts). */
  readonly key: HmacSha256Key;
  readonly plan: RolloutPlan;
  readonly names: ChunkNames;
  /** One Int32: the index of the next chunk not yet claimed. */
  readonly nextChunk: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
  /** One buffer per step: the label index of each object's version. */
  readonly columns: readonly SharedArrayBuffer[];
}

/** A finished chunk: its index (its place in the names) and its summary. */
export interface ChunkDone {
  readonly chunk: number;
  readonly summary: PlanSummary;
}

/** How many names `names` holds. */
export function chunkNameCount(names: ChunkNames): number {
  if ("count" in names) return names.count;
  if ("bytes" in names) return names.starts.length;
  return "starts" in names ? names.starts.length - 1 : names.length;
}

/**
 * Claims chunks until none is left and does each, handing over its summary; with `yieldBetween`,
 * lets other events (the other threads' summaries) in between chunks.
 */
export async function planChunks(task: PlanTask, done: (finished: ChunkDone) => void, yieldBetween: boolean): Promise<void> {
  const { names, plan } = task;
  const count = chunkNameCount(names);
  const slots = new Int32Array(task.slots);
  const columns = task.columns.map((column) => new Uint8Array(column));
  const next = new Int32Array(task.nextChunk);
  for (let chunk = Atomics.add(next, 0, 1); chunk * CHUNK < count; chunk = Atomics.add(next, 0, 1)) {
    const start = chunk * CHUNK;
    const end = Math.min(start + CHUNK, count);
    const chunkSlots = slots.subarray(start, end);
    if ("count" in names) slotsOfNumberedNames(task.key, names.prefix, names.first + start + 1, end - start, chunkSlots);
    else if ("bytes" in names) slotsOfNameBytes(task.key, names.bytes, names.starts.subarray(start, end), names.ends.subarray(start, end), chunkSlots);
    else slotsOfNames(task.key, namesOf(names, start, end), chunkSlots);
    const assigned = assignPlan(plan, chunkSlots).versionIndex;
    assigned.forEach((column, step) => columns[step]!.set(column, start));
    done({ chunk, summary: summarizePlan(plan, chunkSlots, assigned) });
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The names from `start` to `end` (exclusive), as a list. */
function namesOf(names: readonly string[] | PackedNames, start: number, end: number): readonly string[] {
  if (!("starts" in names)) return names.slice(start, end);
  const { text, starts } = names;
  return Array.from({ length: end - start }, (_, index) => text.slice(starts[start + index]!, starts[start + index + 1]!));
}
