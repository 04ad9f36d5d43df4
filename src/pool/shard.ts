/**
 * Splits a run's files into shards, as `--shard current/total` does in vitest and playwright: the
 * files are sorted by path and cut into `total` contiguous runs whose sizes differ by at most one
 * (the first ones take the remainder). The split depends only on the set of paths, never on the
 * order they were given in; adding a file moves at most one file across each boundary after it.
 */

/** One shard of a run: `current` of `total`, 1-based. */
export interface Shard {
  readonly current: number;
  readonly total: number;
}

/** Reads `current/total` (e.g. `2/3`); undefined when it is not two positive integers with current ≤ total. */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (match === null) return undefined;
  const current = Number(match[1]);
  const total = Number(match[2]);
  if (!Number.isSafeInteger(total) || current < 1 || total < 1 || current > total) return undefined;
  return { current, total };
}

/** The files of `shard`, in the order `files` gives them. */
export function shardFiles(files: readonly string[], shard: Shard): string[] {
  const sorted = [...new Set(files)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const base = Math.floor(sorted.length / shard.total);
  const extra = sorted.length % shard.total;
  const start = (shard.current - 1) * base + Math.min(shard.current - 1, extra);
  const mine = new Set(sorted.slice(start, start + base + (shard.current <= extra ? 1 : 0)));
  return [...new Set(files)].filter((file) => mine.has(file));
}
