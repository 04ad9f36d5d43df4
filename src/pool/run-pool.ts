/**
 * A bounded pool of asynchronous tasks: at most `jobs` run at once, each item is taken in order as
 * a slot frees up, and the results come back in the items' order whatever order they finish in —
 * so output built from them is the same for every `jobs`.
 */
import os from "node:os";

/** The default number of jobs: the cores this process may use (as vitest and playwright default). */
export function defaultJobs(): number {
  return os.availableParallelism();
}

/**
 * Runs `task` on every item, at most `jobs` at a time, and returns the results in item order.
 * `onSettled` is called as each task ends (in finishing order), e.g. for progress. If a task
 * throws, no further item is started, the running ones are awaited, and the first error is thrown.
 */
export async function runPool<T, R>(
  items: readonly T[],
  jobs: number,
  task: (item: T, index: number) => Promise<R>,
  onSettled: (index: number) => void = () => {},
): Promise<R[]> {
  if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer (got ${jobs})`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
      onSettled(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
  return results;
}
