/**
 * Movement between two consecutive assignments: how many objects went from each version to each
 * other version. Works on the compact columns of a plan (one byte per object, an index into labels).
 */

/** `counts[from][to]`: objects that were on version `from` and are now on `to` (diagonal: stayed). */
export type MovementMatrix = number[][];

/** Counts transitions between two columns of version indices. */
export function movementMatrix(before: Uint8Array, after: Uint8Array, versionCount: number): MovementMatrix {
  const flat = new Float64Array(versionCount * versionCount);
  for (let object = 0; object < after.length; object++) flat[before[object]! * versionCount + after[object]!]!++;
  return Array.from({ length: versionCount }, (_, from) => Array.from(flat.subarray(from * versionCount, (from + 1) * versionCount)));
}

/** Objects whose version changed (everything off the diagonal). */
export function movedCount(matrix: MovementMatrix): number {
  let moved = 0;
  matrix.forEach((row, from) => row.forEach((count, to) => (moved += from === to ? 0 : count)));
  return moved;
}

/** Objects per version index in one column. */
export function versionCounts(column: Uint8Array, versionCount: number): number[] {
  const counts = new Array<number>(versionCount).fill(0);
  for (let object = 0; object < column.length; object++) counts[column[object]!]!++;
  return counts;
}
