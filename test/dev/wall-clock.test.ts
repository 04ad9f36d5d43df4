/**
 * The dev server's clock: it follows wall time, except while workerd restarts, which on the
 * platform is no time at all (a deployment takes effect in an instant), so a slow restart never
 * counts as idleness that hibernates an object. Wall time is set with vitest's system time; the
 * simulator is reduced to the one call the clock makes, recording how far it was moved.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestLog } from "../../src/dev/request-log.js";
import type { Simulator } from "../../src/runtime/simulator.js";
import { WallClock } from "../../src/dev/wall-clock.js";

const START_MS = Date.UTC(2026, 0, 1);

function clockAt(startMs: number): { clock: WallClock; moves: number[] } {
  const moves: number[] = [];
  let nowMs = startMs;
  const sim = {
    advance: async (deltaMs: number) => {
      moves.push(deltaMs);
      nowMs += deltaMs;
      return { nowMs, resets: [] };
    },
  } as unknown as Simulator;
  const log = { takeResets: async () => ({ resets: [], names: {} }) } as unknown as RequestLog;
  return { clock: new WallClock({ sim, log, write: () => undefined, nowMs: startMs }), moves };
}

describe("the dev server's wall clock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(START_MS);
  });
  afterEach(() => vi.useRealTimers());

  it("moves the virtual clock by the wall time since its last move", async () => {
    const { clock, moves } = clockAt(START_MS);
    vi.setSystemTime(START_MS + 2_500);
    await clock.sync();
    vi.setSystemTime(START_MS + 4_000);
    await clock.sync();
    await clock.sync();
    expect(moves).toEqual([2_500, 1_500]);
  });

  it("stands still while workerd restarts: the restart's seconds never become virtual time", async () => {
    const { clock, moves } = clockAt(START_MS);
    vi.setSystemTime(START_MS + 1_000);
    await clock.sync();
    const answer = await clock.standStill(async () => {
      vi.setSystemTime(START_MS + 13_000);
      return "restarted";
    });
    expect(answer).toBe("restarted");
    await clock.sync();
    vi.setSystemTime(START_MS + 15_000);
    await clock.sync();
    // 1 s before the restart and 2 s after it: the 12 s it took are not an object's idleness.
    expect(moves).toEqual([1_000, 2_000]);
  });

  it("stands still for a restart that fails too", async () => {
    const { clock, moves } = clockAt(START_MS);
    await expect(
      clock.standStill(async () => {
        vi.setSystemTime(START_MS + 30_000);
        throw new Error("workerd refused the config");
      }),
    ).rejects.toThrow("workerd refused the config");
    vi.setSystemTime(START_MS + 30_500);
    await clock.sync();
    expect(moves).toEqual([500]);
  });
});
