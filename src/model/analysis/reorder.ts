/**
 * Reordering: the assignment compares an object's slot with cumulative percentages in *listed*
 * order, so listing the same versions in another order than the previous deployment moves objects
 * that a kept order would have left alone. This measures that cost.
 */
import { cumulativeBounds, entryIndexForSlot } from "../assignment.js";

/** An entry of a step, by label. */
export interface LabelledEntry {
  readonly label: string;
  readonly percentage: number;
}

/**
 * True when the versions that both steps list appear in a different relative order. A version
 * that only one of them lists does not count.
 */
export function isReordered(previous: readonly LabelledEntry[], next: readonly LabelledEntry[]): boolean {
  const shared = next.map((entry) => entry.label).filter((label) => previous.some((entry) => entry.label === label));
  const previousOrder = previous.map((entry) => entry.label).filter((label) => shared.includes(label));
  return shared.some((label, index) => previousOrder[index] !== label);
}

/** `next`'s entries listed in `previous`'s order (versions new to `next` keep their place after). */
export function inPreviousOrder(previous: readonly LabelledEntry[], next: readonly LabelledEntry[]): LabelledEntry[] {
  const rank = (label: string): number => {
    const index = previous.findIndex((entry) => entry.label === label);
    return index === -1 ? previous.length + next.findIndex((entry) => entry.label === label) : index;
  };
  return [...next].sort((a, b) => rank(a.label) - rank(b.label));
}

/**
 * How many more objects `next` moves than the same percentages listed in the previous order would.
 * `before[i]` is the label index object i had; `labels` maps indices to labels.
 */
export function extraMovesFromReorder(
  slots: Int32Array,
  before: Uint8Array,
  labels: readonly string[],
  previous: readonly LabelledEntry[],
  next: readonly LabelledEntry[],
): number {
  const count = (entries: readonly LabelledEntry[]): number => {
    const bounds = cumulativeBounds(entries);
    const labelIndex = entries.map((entry) => labels.indexOf(entry.label));
    let moved = 0;
    for (let object = 0; object < slots.length; object++) {
      if (labelIndex[entryIndexForSlot(bounds, slots[object]!)] !== before[object]) moved++;
    }
    return moved;
  };
  return count(next) - count(inPreviousOrder(previous, next));
}
