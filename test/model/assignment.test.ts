import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SLOT_COUNT,
  cumulativeBounds,
  entryIndexForSlot,
  fractionToSlot,
  percentageToSlots,
  versionForSlot,
} from "../../src/model/assignment.js";

const entries = (...percentages: number[]) => percentages.map((percentage, index) => ({ versionId: `v${index}`, percentage }));

/** How many slots each entry owns. */
function owned(percentages: number[]): number[] {
  const counts = percentages.map(() => 0);
  const bounds = cumulativeBounds(entries(...percentages));
  for (let slot = 0; slot < SLOT_COUNT; slot++) counts[entryIndexForSlot(bounds, slot)]!++;
  return counts;
}

describe("assignment", () => {
  it("one slot is 0.001%", () => {
    expect(SLOT_COUNT).toBe(100_000);
    expect(percentageToSlots(0.001)).toBe(1);
    expect(percentageToSlots(20)).toBe(20_000);
    expect(percentageToSlots(33.333)).toBe(33_333);
    expect(percentageToSlots(0.1 + 0.2)).toBe(300);
  });

  it("maps fractions to slots, clamping the ends", () => {
    expect(fractionToSlot(0)).toBe(0);
    expect(fractionToSlot(0.2)).toBe(20_000);
    expect(fractionToSlot(0.999999999)).toBe(SLOT_COUNT - 1);
    expect(fractionToSlot(1)).toBe(SLOT_COUNT - 1);
    expect(fractionToSlot(-0.5)).toBe(0);
  });

  it("lays out cumulative bounds in listed order", () => {
    expect([...cumulativeBounds(entries(20, 80))]).toEqual([20_000, 100_000]);
    expect([...cumulativeBounds(entries(80, 20))]).toEqual([80_000, 100_000]);
    expect([...cumulativeBounds(entries(100))]).toEqual([100_000]);
    expect([...cumulativeBounds([])]).toEqual([]);
  });

  it("ends at SLOT_COUNT even when the sum is 99.999 or 100.001", () => {
    expect([...cumulativeBounds(entries(19.999, 80))]).toEqual([19_999, 100_000]);
    expect([...cumulativeBounds(entries(99.999))]).toEqual([100_000]);
    expect([...cumulativeBounds(entries(20.001, 80))]).toEqual([20_001, 100_000]);
    expect([...cumulativeBounds(entries(50, 50.001))]).toEqual([50_000, 100_000]);
    expect(owned([19.999, 80])).toEqual([19_999, 80_001]);
  });

  it("gives a 0% entry no slot, wherever it is listed", () => {
    expect(owned([0, 100])).toEqual([0, SLOT_COUNT]);
    expect(owned([100, 0])).toEqual([SLOT_COUNT, 0]);
    // The 0.001 slack goes to the version that has traffic, not to a trailing 0% one.
    expect(owned([99.999, 0])).toEqual([SLOT_COUNT, 0]);
    expect(owned([0, 99.999])).toEqual([0, SLOT_COUNT]);
    expect([...cumulativeBounds(entries(99.999, 0))]).toEqual([100_000, 100_000]);
    expect(versionForSlot({ entries: entries(99.999, 0) }, SLOT_COUNT - 1)).toBe("v0");
  });

  it("a slot belongs to the first entry whose bound it is below", () => {
    const bounds = cumulativeBounds(entries(20, 80));
    expect(entryIndexForSlot(bounds, 0)).toBe(0);
    expect(entryIndexForSlot(bounds, 19_999)).toBe(0);
    expect(entryIndexForSlot(bounds, 20_000)).toBe(1);
    expect(entryIndexForSlot(bounds, SLOT_COUNT - 1)).toBe(1);
    expect(versionForSlot({ entries: entries(20, 80) }, 19_999)).toBe("v0");
    expect(versionForSlot({ entries: entries(20, 80) }, 20_000)).toBe("v1");
    expect(() => versionForSlot({ entries: [] }, 0)).toThrow();
  });

  it("every valid 2-entry deployment owns exactly its percentages, the slack going to the last version with traffic", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SLOT_COUNT }), fc.integer({ min: -1, max: 1 }), fc.boolean(), (first, slack, zeroLast) => {
        const second = Math.min(SLOT_COUNT, Math.max(0, SLOT_COUNT - first + slack));
        const percentages = zeroLast && first >= SLOT_COUNT - 1 ? [first / 1000, 0] : [first / 1000, second / 1000];
        const bounds = cumulativeBounds(entries(...percentages));
        expect(bounds[bounds.length - 1]).toBe(SLOT_COUNT);
        for (let index = 1; index < bounds.length; index++) expect(bounds[index]!).toBeGreaterThanOrEqual(bounds[index - 1]!);
        const [a, b] = percentages.map(percentageToSlots) as [number, number];
        // The first entry owns exactly its slots unless the second has none.
        const ownsFirst = b === 0 ? SLOT_COUNT : Math.min(a, SLOT_COUNT);
        expect(bounds[0]).toBe(ownsFirst);
      }),
      { numRuns: 500 },
    );
  });
});
