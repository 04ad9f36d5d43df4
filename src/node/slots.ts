/**
 * Slots for many named objects, in chunks so a terminal can show progress on large runs.
 */
import { objectSlotsFromNames } from "../model/object-slots.js";
import { createProgress } from "./progress.js";

const CHUNK = 65_536;

/** The slot of every name in `names`, under the namespace's unique key. */
export function slotsWithProgress(uniqueKey: string, names: readonly string[]): Int32Array {
  const slots = new Int32Array(names.length);
  const progress = createProgress("Hashing object ids", names.length);
  for (let start = 0; start < names.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, names.length);
    objectSlotsFromNames(uniqueKey, names.slice(start, end), slots.subarray(start, end));
    progress.update(end);
  }
  progress.finish();
  return slots;
}
