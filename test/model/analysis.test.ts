import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_COUNT } from "../../src/model/assignment.js";
import { movedCount, movementMatrix, versionCounts } from "../../src/model/analysis/movement.js";
import { extraMovesFromReorder, inPreviousOrder, isReordered, type LabelledEntry } from "../../src/model/analysis/reorder.js";

const LABELS = ["A", "B", "C"];
const step = (...items: [string, number][]): LabelledEntry[] => items.map(([label, percentage]) => ({ label, percentage }));

describe("movement", () => {
  it("counts transitions, moves and objects per version", () => {
    const before = Uint8Array.from([0, 0, 0, 1, 1, 2]);
    const after = Uint8Array.from([0, 1, 2, 1, 0, 2]);
    const matrix = movementMatrix(before, after, 3);
    expect(matrix).toEqual([
      [1, 1, 1],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(movedCount(matrix)).toBe(3);
    expect(versionCounts(after, 3)).toEqual([2, 2, 2]);
    expect(versionCounts(before, 3)).toEqual([3, 2, 1]);
    expect(movedCount(movementMatrix(before, before, 3))).toBe(0);
    expect(movementMatrix(new Uint8Array(0), new Uint8Array(0), 2)).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it("agrees with a direct count on random columns", () => {
    const columns = fc.integer({ min: 1, max: 4 }).chain((versions) =>
      fc.integer({ min: 0, max: 60 }).chain((length) =>
        fc.tuple(fc.constant(versions), fc.array(fc.nat(versions - 1), { minLength: length, maxLength: length }), fc.array(fc.nat(versions - 1), { minLength: length, maxLength: length })),
      ),
    );
    fc.assert(
      fc.property(columns, ([versions, before, after]) => {
        const matrix = movementMatrix(Uint8Array.from(before), Uint8Array.from(after), versions);
        expect(movedCount(matrix)).toBe(before.filter((version, object) => version !== after[object]).length);
        expect(matrix.flat().reduce((sum, count) => sum + count, 0)).toBe(before.length);
        expect(versionCounts(Uint8Array.from(after), versions)).toEqual(matrix[0]!.map((_, to) => matrix.reduce((sum, row) => sum + row[to]!, 0)));
      }),
      { numRuns: 100 },
    );
  });
});

describe("reorder", () => {
  it("isReordered compares the relative order of the versions both steps list", () => {
    expect(isReordered(step(["B", 20], ["A", 80]), step(["A", 50], ["B", 50]))).toBe(true);
    expect(isReordered(step(["B", 20], ["A", 80]), step(["B", 50], ["A", 50]))).toBe(false);
    expect(isReordered(step(["A", 100]), step(["B", 20], ["A", 80]))).toBe(false);
    expect(isReordered(step(["B", 20], ["A", 80]), step(["A", 100]))).toBe(false);
    expect(isReordered(step(["B", 20], ["A", 80]), step(["C", 20], ["B", 80]))).toBe(false);
    expect(isReordered(step(["A", 50], ["B", 50]), step(["C", 50], ["A", 50]))).toBe(false);
  });

  it("inPreviousOrder sorts by the previous list, new versions after", () => {
    expect(inPreviousOrder(step(["B", 20], ["A", 80]), step(["A", 50], ["B", 50]))).toEqual(step(["B", 50], ["A", 50]));
    expect(inPreviousOrder(step(["A", 100]), step(["C", 30], ["A", 70]))).toEqual(step(["A", 70], ["C", 30]));
  });

  it("extraMovesFromReorder counts the moves a reorder adds (brute force)", () => {
    // Four objects: slots 5000, 15000, 60000, 95000; before: [B@20, A@80]; next: [A@50, B@50].
    const slots = Int32Array.from([5000, 15_000, 60_000, 95_000]);
    const before = Uint8Array.from([1, 1, 0, 0]);
    // Reordered, A owns [0, 50000): all four objects change version. Kept order [B@50, A@50]: none.
    expect(extraMovesFromReorder(slots, before, LABELS, step(["B", 20], ["A", 80]), step(["A", 50], ["B", 50]))).toBe(4);
    // Kept order [B@10, A@90] would move object 1 (B -> A); reordered [A@90, B@10] moves 0, 1 and 2.
    expect(extraMovesFromReorder(slots, before, LABELS, step(["B", 20], ["A", 80]), step(["A", 90], ["B", 10]))).toBe(3 - 1);
  });

  it("can be negative on a small sample, never over every slot", () => {
    // Three objects inside [10%, 20%): the kept order moves them, the reorder happens to keep them.
    const slots = Int32Array.from([15_000, 16_000, 17_000]);
    const previous = step(["A", 10], ["B", 90]);
    const next = step(["B", 80], ["A", 20]);
    expect(extraMovesFromReorder(slots, Uint8Array.from([1, 1, 1]), LABELS, previous, next)).toBe(-3);
    const every = Int32Array.from({ length: SLOT_COUNT }, (_, slot) => slot);
    const beforeEvery = Uint8Array.from(every, (slot) => (slot < 10_000 ? 0 : 1));
    // Over all slots: reordered moves (100 - |10 - 80|)% = 30%, kept order moves |10 - 20|% = 10%.
    expect(extraMovesFromReorder(every, beforeEvery, LABELS, previous, next)).toBe(20_000);
  });

  it("matches a brute-force count for random two-version steps", () => {
    const thousandths = fc.integer({ min: 0, max: SLOT_COUNT });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: SLOT_COUNT - 1 }), { minLength: 0, maxLength: 200 }),
        thousandths,
        thousandths,
        fc.boolean(),
        (slotList, previousFirst, nextFirst, bFirst) => {
          const [x, y] = bFirst ? ["B", "A"] : ["A", "B"];
          const previous = step([x, previousFirst / 1000], [y, (SLOT_COUNT - previousFirst) / 1000]);
          const next = step([y, nextFirst / 1000], [x, (SLOT_COUNT - nextFirst) / 1000]);
          const index = (label: string) => LABELS.indexOf(label);
          // Plain comparisons, no shared code: first listed owns slots below its thousandths.
          const previousOf = (slot: number) => (slot < previousFirst || previousFirst === SLOT_COUNT ? x : y);
          const reorderedOf = (slot: number) => (slot < nextFirst || nextFirst === SLOT_COUNT ? y : x);
          const keptFirst = SLOT_COUNT - nextFirst; // x's share, listed first as before
          const keptOf = (slot: number) => (slot < keptFirst || keptFirst === SLOT_COUNT ? x : y);
          const moves = (of: (slot: number) => string) => slotList.filter((slot) => of(slot) !== previousOf(slot)).length;
          const slots = Int32Array.from(slotList);
          const before = Uint8Array.from(slotList, (slot) => index(previousOf(slot)));
          expect(extraMovesFromReorder(slots, before, LABELS, previous, next)).toBe(moves(reorderedOf) - moves(keptOf));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never adds negative moves when every slot holds one object", () => {
    const every = Int32Array.from({ length: SLOT_COUNT }, (_, slot) => slot);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (previousA, nextB) => {
        const previous = step(["A", previousA], ["B", 100 - previousA]);
        const before = Uint8Array.from(every, (slot) => (slot < previousA * 1000 || previousA === 100 ? 0 : 1));
        const next = step(["B", nextB], ["A", 100 - nextB]);
        expect(extraMovesFromReorder(every, before, LABELS, previous, next)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 30 },
    );
  });
});
