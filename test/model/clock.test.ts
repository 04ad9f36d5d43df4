import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/model/clock.js";

describe("VirtualClock", () => {
  it("starts at 0 or at the given epoch", () => {
    expect(new VirtualClock().nowMs).toBe(0);
    expect(new VirtualClock(1_700_000_000_000).nowMs).toBe(1_700_000_000_000);
  });

  it("moves only when advanced, and returns the new time", () => {
    const clock = new VirtualClock(100);
    expect(clock.nowMs).toBe(100);
    expect(clock.advance(50)).toBe(150);
    expect(clock.advance(0)).toBe(150);
    expect(clock.nowMs).toBe(150);
  });

  it("refuses to move backwards or by a non-finite amount, keeping its time", () => {
    const clock = new VirtualClock(10);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(clock.nowMs).toBe(10);
  });

  it("advanceTo only moves forward", () => {
    const clock = new VirtualClock(1000);
    expect(clock.advanceTo(500)).toBe(1000);
    expect(clock.advanceTo(1500)).toBe(1500);
    expect(clock.advanceTo(1500)).toBe(1500);
    expect(clock.nowMs).toBe(1500);
  });

  it("keeps separate instances independent", () => {
    const a = new VirtualClock();
    const b = new VirtualClock();
    a.advance(5);
    expect(b.nowMs).toBe(0);
  });
});
