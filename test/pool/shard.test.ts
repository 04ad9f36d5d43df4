/**
 * `--shard current/total`, spelled as vitest and playwright spell it: the shards of a run partition
 * its files, their sizes differ by at most one, the split depends only on the set of paths, and
 * adding a file moves at most one file across each boundary.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseShard, shardFiles } from "../../src/pool/shard.js";

const paths = fc.uniqueArray(fc.stringMatching(/^[a-z0-9/]{1,12}\.yaml$/), { maxLength: 40 });

describe("shards", () => {
  it("partition the files, keep their given order, and differ in size by at most one", () => {
    fc.assert(
      fc.property(paths, fc.integer({ min: 1, max: 12 }), (files, total) => {
        const shards = Array.from({ length: total }, (_, index) => shardFiles(files, { current: index + 1, total }));
        expect(shards.flat().sort()).toEqual([...files].sort());
        for (const shard of shards) expect(shard).toEqual(files.filter((file) => shard.includes(file)));
        const sizes = shards.map((shard) => shard.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        // The first shards take the remainder: a shard is empty only when there are fewer files than shards.
        expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      }),
    );
  });

  it("depend on the set of paths, not on the order they are given in", () => {
    fc.assert(
      fc.property(paths, fc.integer({ min: 1, max: 6 }), (files, total) => {
        const reversed = [...files].reverse();
        for (let current = 1; current <= total; current++) {
          expect(new Set(shardFiles(reversed, { current, total }))).toEqual(new Set(shardFiles(files, { current, total })));
        }
      }),
    );
  });

  it("move at most one file across each boundary when a file is added", () => {
    fc.assert(
      fc.property(paths, fc.stringMatching(/^[a-z0-9/]{1,12}\.yml$/), fc.integer({ min: 1, max: 6 }), (files, added, total) => {
        for (let current = 1; current <= total; current++) {
          const before = new Set(shardFiles(files, { current, total }));
          const after = shardFiles([...files, added], { current, total }).filter((file) => file !== added);
          const moved = [...before].filter((file) => !after.includes(file)).length + after.filter((file) => !before.has(file)).length;
          expect(moved).toBeLessThanOrEqual(2);
        }
      }),
    );
  });

  it("reads current/total and refuses anything else", () => {
    expect(parseShard("2/3")).toEqual({ current: 2, total: 3 });
    expect(parseShard(" 1 / 1 ")).toEqual({ current: 1, total: 1 });
    for (const bad of ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/2", "1.5/2", ""]) expect(parseShard(bad), bad).toBeUndefined();
  });
});
