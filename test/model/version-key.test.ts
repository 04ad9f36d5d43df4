import fc from "fast-check";
import murmurhash3js from "murmurhash3js";
import { describe, expect, it } from "vitest";
import { SLOT_COUNT } from "../../src/model/assignment.js";
import { hashToSlot, murmur3x86_32, murmur3x86_32Bytes, versionKeySlot } from "../../src/model/version-key.js";

/** Published MurmurHash3 x86_32 vectors (SMHasher's verification set, as collected by Ian Boyd). */
const BYTE_VECTORS: ReadonlyArray<readonly [number[], number, number]> = [
  [[], 0, 0],
  [[], 1, 0x514e28b7],
  [[], 0xffffffff, 0x81f16f39],
  [[0xff, 0xff, 0xff, 0xff], 0, 0x76293b50],
  [[0x21, 0x43, 0x65, 0x87], 0, 0xf55b516b],
  [[0x21, 0x43, 0x65, 0x87], 0x5082edee, 0x2362f9de],
  [[0x21, 0x43, 0x65], 0, 0x7e4a8634],
  [[0x21, 0x43], 0, 0xa0f7b07a],
  [[0x21], 0, 0x72661cf4],
  [[0, 0, 0, 0], 0, 0x2362f9de],
  [[0, 0, 0], 0, 0x85f0b427],
  [[0, 0], 0, 0x30f4c306],
  [[0], 0, 0x514e28b7],
];

const STRING_VECTORS: ReadonlyArray<readonly [string, number, number]> = [
  ["", 0, 0],
  ["hello", 0, 0x248bfa47],
  ["abc", 0, 0xb3dd93fa],
  ["a", 0x9747b28c, 0x7fa09ea6],
  ["ab", 0x9747b28c, 0x74875592],
  ["abc", 0x9747b28c, 0xc84a62dd],
  ["abcd", 0x9747b28c, 0xf0478627],
  ["aaaa", 0x9747b28c, 0x5a97808a],
  ["Hello, world!", 0x9747b28c, 0x24884cba],
  ["ππππππππ", 0x9747b28c, 0xd58063c1],
  ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
];

const utf8 = new TextEncoder();

describe("murmur3x86_32", () => {
  it.each(BYTE_VECTORS)("hashes bytes %j with seed %i to the published value", (bytes, seed, expected) => {
    expect(murmur3x86_32Bytes(new Uint8Array(bytes), seed)).toBe(expected);
  });

  it.each(STRING_VECTORS)("hashes %j with seed %i to the published value", (text, seed, expected) => {
    expect(murmur3x86_32(text, seed)).toBe(expected);
  });

  it("agrees with murmurhash3js on ASCII strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 64 }), fc.nat(), (text, seed) => {
        expect(murmur3x86_32(text, seed)).toBe(murmurhash3js.x86.hash32(text, seed));
      }),
    );
  });

  it("hashes the UTF-8 bytes of any string, lone surrogates as U+FFFD like TextEncoder", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
        expect(murmur3x86_32(text)).toBe(murmur3x86_32Bytes(utf8.encode(text)));
      }),
    );
    for (const text of ["\ud800", "a\udc00b", "abcd\ud83d", "\udc00\ud800", "abcdé", "abcdefgh😀", "x".repeat(300) + "é"]) {
      expect(murmur3x86_32(text)).toBe(murmur3x86_32Bytes(utf8.encode(text)));
    }
  });
});

describe("versionKeySlot", () => {
  it("scales the hash onto [0, SLOT_COUNT)", () => {
    expect(hashToSlot(0)).toBe(0);
    expect(hashToSlot(0xffffffff)).toBe(SLOT_COUNT - 1);
    expect(hashToSlot(2 ** 31)).toBe(SLOT_COUNT / 2);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (key) => {
        const slot = versionKeySlot(key);
        expect(Number.isInteger(slot) && slot >= 0 && slot < SLOT_COUNT).toBe(true);
      }),
    );
  });

  it("is a documented function: these slots must never change between releases", () => {
    expect(["user-1", "user-2", "alice", "bob", "日本", "😀"].map(versionKeySlot)).toEqual([
      97122, 86949, 29811, 65764, 76895, 74493,
    ]);
  });
});
