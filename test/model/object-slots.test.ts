import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_COUNT } from "../../src/model/assignment.js";
import { createObjectIdFactory } from "../../src/model/object-ids.js";
import { objectSlotFromId, objectSlotFromName, objectSlotsFromNames, objectSlotsFromNumberedNames } from "../../src/model/object-slots.js";

/** The documented rule, with BigInt: floor(u × 100000 / 2^48), u = the id's first 6 bytes. */
function referenceSlot(id: string): number {
  return Number((BigInt(`0x${id.slice(0, 12)}`) * BigInt(SLOT_COUNT)) >> 48n);
}

/** A 64-digit id string whose first 6 bytes are `u` (the rest does not matter for slots). */
function idWithPrefix(u: bigint): string {
  return u.toString(16).padStart(12, "0") + "0".repeat(52);
}

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const names = fc.oneof(
  fc.constant(""),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: codeUnit, maxLength: 60 }),
  fc.string({ unit: "grapheme", minLength: 30, maxLength: 150 }),
);

describe("objectSlotFromId", () => {
  it("follows the documented rule exactly, at the extremes and at slot boundaries", () => {
    expect(objectSlotFromId(idWithPrefix(0n))).toBe(0);
    expect(objectSlotFromId(idWithPrefix((1n << 48n) - 1n))).toBe(SLOT_COUNT - 1);
    for (const k of [1n, 2n, 3n, 12_345n, 50_000n, 99_999n]) {
      // The smallest u of slot k, and the one just below it.
      const first = (k * (1n << 48n) + BigInt(SLOT_COUNT) - 1n) / BigInt(SLOT_COUNT);
      expect(objectSlotFromId(idWithPrefix(first))).toBe(Number(k));
      expect(objectSlotFromId(idWithPrefix(first - 1n))).toBe(Number(k) - 1);
    }
  });

  it("agrees with the BigInt rule for any 48-bit prefix", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }), (u) => {
        const id = idWithPrefix(u);
        expect(objectSlotFromId(id)).toBe(referenceSlot(id));
        expect(objectSlotFromId(id.toUpperCase())).toBe(referenceSlot(id));
      }),
      { numRuns: 2000 },
    );
  });

  it("throws on a string that is not an id (a caller bug)", () => {
    expect(() => objectSlotFromId("xyz")).toThrow(RangeError);
    expect(() => objectSlotFromId("")).toThrow(RangeError);
  });
});

describe("objectSlotFromName", () => {
  const factory = createObjectIdFactory("dosim-Counter");

  it("equals the slot of the full id, through a factory or a unique key", () => {
    fc.assert(
      fc.property(names, (name) => {
        const id = factory.idFromName(name);
        const slot = objectSlotFromId(id);
        expect(slot).toBe(referenceSlot(id));
        expect(objectSlotFromName(factory, name)).toBe(slot);
        expect(objectSlotFromName("dosim-Counter", name)).toBe(slot);
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(slot).toBeLessThan(SLOT_COUNT);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps namespaces apart when unique keys alternate", () => {
    const other = createObjectIdFactory("other-Counter");
    for (const name of ["foo", "bar", "baz", "x".repeat(70)]) {
      expect(objectSlotFromName("dosim-Counter", name)).toBe(objectSlotFromId(factory.idFromName(name)));
      expect(objectSlotFromName("other-Counter", name)).toBe(objectSlotFromId(other.idFromName(name)));
    }
  });
});

describe("objectSlotsFromNames", () => {
  it("returns the same slots as one call per name, in order", () => {
    fc.assert(
      fc.property(fc.array(names, { maxLength: 50 }), (list) => {
        const slots = objectSlotsFromNames("dosim-Counter", list);
        expect(Array.from(slots)).toEqual(list.map((name) => objectSlotFromName("dosim-Counter", name)));
      }),
      { numRuns: 200 },
    );
  });

  it("fills a caller's buffer and refuses one that is too small", () => {
    const into = new Int32Array(4).fill(-1);
    const factory = createObjectIdFactory("dosim-Counter");
    expect(objectSlotsFromNames(factory, ["foo", "bar", "baz"], into)).toBe(into);
    expect(into[3]).toBe(-1);
    expect(into[0]).toBe(objectSlotFromName(factory, "foo"));
    expect(() => objectSlotsFromNames(factory, ["a", "b"], new Int32Array(1))).toThrow(RangeError);
  });

  it("spreads 100,000 names evenly over ten deciles", () => {
    const list = Array.from({ length: 100_000 }, (_, i) => `object-${i}`);
    const deciles = new Array<number>(10).fill(0);
    for (const slot of objectSlotsFromNames("dosim-Counter", list)) deciles[Math.floor(slot / 10_000)]! += 1;
    // Each decile expects 10,000 (sd ≈ 95); ±600 is more than 6 sd.
    for (const count of deciles) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });
});

describe("objectSlotsFromNumberedNames", () => {
  it("returns the slots of the names it stands for, across added digits and long prefixes", () => {
    const first = fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constantFrom(9, 95, 998, 999_990, 9_999_999_995, Number.MAX_SAFE_INTEGER - 40));
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 }), first, fc.integer({ min: 0, max: 30 }), (prefix, start, count) => {
        const list = Array.from({ length: count }, (_, index) => `${prefix}${start + index}`);
        expect(Array.from(objectSlotsFromNumberedNames("dosim-Counter", prefix, start, count))).toEqual(Array.from(objectSlotsFromNames("dosim-Counter", list)));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a prefix that is not ASCII and a first number that is not whole", () => {
    expect(() => objectSlotsFromNumberedNames("dosim-Counter", "räum-", 1, 1)).toThrow(RangeError);
    expect(() => objectSlotsFromNumberedNames("dosim-Counter", "object-", 1.5, 1)).toThrow(RangeError);
    expect(() => objectSlotsFromNumberedNames("dosim-Counter", "object-", 1, 2, new Int32Array(1))).toThrow(RangeError);
  });
});
