/**
 * Objects spread as requested: over 100,000 named objects (slots from objectSlotsFromNames), the
 * share a deployment gives a version is within 5 binomial standard deviations of its percentage.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_COUNT, cumulativeBounds, entryIndexForSlot } from "../../src/model/assignment.js";
import { objectSlotsFromNames } from "../../src/model/object-slots.js";

const OBJECTS = 100_000;

describe("property: realised shares match requested percentages", () => {
  it("within 5 sigma over 100,000 generated names", () => {
    const slots = new Int32Array(OBJECTS);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.string({ maxLength: 8 }),
        fc.integer({ min: 0, max: SLOT_COUNT }),
        fc.boolean(),
        (namespace, prefix, bSlots, bFirst) => {
          const names = Array.from({ length: OBJECTS }, (_, index) => `${prefix}${index}`);
          objectSlotsFromNames(`${namespace}-Counter`, names, slots);
          const b = { percentage: bSlots / 1000 };
          const a = { percentage: (SLOT_COUNT - bSlots) / 1000 };
          const bounds = cumulativeBounds(bFirst ? [b, a] : [a, b]);
          const bIndex = bFirst ? 0 : 1;
          let onB = 0;
          for (const slot of slots) if (entryIndexForSlot(bounds, slot) === bIndex) onB++;
          const p = bSlots / SLOT_COUNT;
          const sigma = Math.sqrt(OBJECTS * p * (1 - p));
          expect(Math.abs(onB - OBJECTS * p)).toBeLessThanOrEqual(5 * sigma);
        },
      ),
      { numRuns: 12 },
    );
  });
});
