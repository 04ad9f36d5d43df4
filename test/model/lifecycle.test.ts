import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EVICT_AFTER_MAX_MS, EVICT_AFTER_MIN_MS, evictionDelayMs, HIBERNATE_AFTER_MS, inactivityEnd } from "../../src/model/lifecycle.js";

// Docs "Lifecycle of a Durable Object": an idle hibernatable object hibernates after 10 seconds of
// inactivity; an idle non-hibernatable one is evicted after 70-140 seconds of inactivity.
describe("the lifecycle's timers", () => {
  it("uses the docs' figures", () => {
    expect([HIBERNATE_AFTER_MS, EVICT_AFTER_MIN_MS, EVICT_AFTER_MAX_MS]).toEqual([10_000, 70_000, 140_000]);
  });

  it("hibernates 10 s after the last activity, or evicts within 70-140 s", () => {
    expect(inactivityEnd("s", { objectId: "x", lastActiveMs: 5_000, hibernatable: true })).toEqual({ atMs: 15_000, reason: "hibernated" });
    const evicted = inactivityEnd("s", { objectId: "x", lastActiveMs: 5_000, hibernatable: false });
    expect(evicted.reason).toBe("evicted");
    expect(evicted.atMs - 5_000).toBe(evictionDelayMs("s", "x", 5_000));
  });

  it("draws every eviction delay as whole milliseconds within 70-140 s, the same for the same inputs", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), (seed, objectId, sinceMs) => {
        const delay = evictionDelayMs(seed, objectId, sinceMs);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(EVICT_AFTER_MIN_MS);
        expect(delay).toBeLessThanOrEqual(EVICT_AFTER_MAX_MS);
        expect(evictionDelayMs(seed, objectId, sinceMs)).toBe(delay);
      }),
    );
  });
});
