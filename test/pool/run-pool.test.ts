/**
 * The pool behind `replay --jobs`: results in item order whatever order the tasks end in, never
 * more than `jobs` running at once, and a failing task stops the pool from taking new items.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultJobs, runPool } from "../../src/pool/run-pool.js";

/** Lets `ticks` turns of the microtask queue pass: tasks end in an order the test chooses. */
async function ticks(count: number): Promise<void> {
  for (let n = 0; n < count; n++) await Promise.resolve();
}

describe("runPool", () => {
  it("returns results in item order, with at most `jobs` tasks running at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(20), { maxLength: 30 }), fc.integer({ min: 1, max: 8 }), async (delays, jobs) => {
        let running = 0;
        let most = 0;
        const ended: number[] = [];
        const results = await runPool(
          delays,
          jobs,
          async (delay, index) => {
            running++;
            most = Math.max(most, running);
            await ticks(delay);
            running--;
            return `${index}:${delay}`;
          },
          (index) => ended.push(index),
        );
        expect(results).toEqual(delays.map((delay, index) => `${index}:${delay}`));
        expect(most).toBe(Math.min(jobs, delays.length));
        expect([...ended].sort((a, b) => a - b)).toEqual(delays.map((_, index) => index));
      }),
    );
  });

  it("a task that throws: no new item starts, running ones finish, the first error is thrown", async () => {
    const started: number[] = [];
    const run = runPool([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await ticks(item === 1 ? 1 : 10);
      if (item === 1) throw new Error("task 1 failed");
      return item;
    });
    await expect(run).rejects.toThrow("task 1 failed");
    // Items 0 and 1 start together; 1 fails before 0 ends, so nothing after them starts.
    expect(started).toEqual([0, 1]);
  });

  it("refuses a number of jobs that is not a positive integer; defaults to the cores available", async () => {
    await expect(runPool([1], 0, async (item) => item)).rejects.toThrow(RangeError);
    await expect(runPool([1], 1.5, async (item) => item)).rejects.toThrow(RangeError);
    expect(defaultJobs()).toBeGreaterThanOrEqual(1);
  });
});
