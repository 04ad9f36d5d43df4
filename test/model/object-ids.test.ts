import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hmacSha256, hmacSha256Bytes, hmacSha256String, hmacSha256Words, prepareHmacSha256Key } from "../../src/model/hash.js";
import { createObjectIdFactory, defaultUniqueKey } from "../../src/model/object-ids.js";

/**
 * The bytes workerd hashes for a JS string: UTF-8, but a lone surrogate is kept as its own 3-byte
 * sequence (WTF-8) where Buffer/TextEncoder would write U+FFFD (checked against workerd in
 * test/integration/object-ids-parity.test.ts).
 */
function workerdBytes(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const char of text) {
    const unit = char.charCodeAt(0);
    const lone = char.length === 1 && unit >= 0xd800 && unit <= 0xdfff;
    parts.push(lone ? Buffer.from([0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]) : Buffer.from(char, "utf8"));
  }
  return Buffer.concat(parts);
}

/** workerd's derivation, written independently with node:crypto. */
function referenceId(uniqueKey: string, name: string): string {
  const key = createHash("sha256").update(uniqueKey).digest();
  const first = createHmac("sha256", key).update(workerdBytes(name)).digest().subarray(0, 16);
  const mac = createHmac("sha256", key).update(first).digest().subarray(0, 16);
  return Buffer.concat([first, mac]).toString("hex");
}

/** Words from hash.ts as bytes, for comparing with node:crypto digests. */
function wordsToBuffer(words: Int32Array): Buffer {
  const buffer = Buffer.alloc(words.length * 4);
  words.forEach((word, index) => buffer.writeInt32BE(word, index * 4));
  return buffer;
}

/** Any UTF-16 code unit, so lone surrogates and surrogate pairs both show up. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
/** Names of every shape: empty, ASCII, any code point, broken UTF-16, longer than one block. */
const names = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: codeUnit, maxLength: 80 }),
  fc.string({ unit: "grapheme", minLength: 20, maxLength: 200 }),
);

describe("HMAC-SHA256 helpers", () => {
  it("match node:crypto around every block boundary, for short and long keys", () => {
    for (const keyLength of [0, 32, 64, 65, 200]) {
      const key = new Uint8Array(keyLength).map((_, i) => (i * 7 + 3) & 0xff);
      const prepared = prepareHmacSha256Key(key);
      const out = new Int32Array(8);
      for (let length = 0; length <= 200; length++) {
        const message = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
        const expected = createHmac("sha256", key).update(message).digest();
        expect(wordsToBuffer(hmacSha256Bytes(prepared, message, length, out))).toEqual(expected);
        expect(Buffer.from(hmacSha256(key, message))).toEqual(expected);
      }
    }
  });

  it("hash whole words, and text as workerd encodes it, like node:crypto", () => {
    const key = createHash("sha256").update("k").digest();
    const prepared = prepareHmacSha256Key(key);
    const words = Int32Array.from([0x01020304, -1, 0, 0x7fffffff, 0x80000000 | 0]);
    const expected = createHmac("sha256", key).update(wordsToBuffer(words)).digest();
    expect(wordsToBuffer(hmacSha256Words(prepared, words, 5, new Int32Array(8)))).toEqual(expected);
    fc.assert(
      fc.property(names, (text) => {
        const digest = wordsToBuffer(hmacSha256String(prepared, text, new Int32Array(8)));
        expect(digest).toEqual(createHmac("sha256", key).update(workerdBytes(text)).digest());
      }),
      { numRuns: 500 },
    );
  });
});

describe("idFromName", () => {
  it("derives workerd's ids (known vectors)", () => {
    const factory = createObjectIdFactory("dosim-Counter");
    const vectors = ["", "foo", "bar", "baz", "a".repeat(55), "a".repeat(56), "ü".repeat(40), "😀", "x".repeat(1000)];
    const broken = ["\ud800", "a\udc00b", "\udbff\udbff\udc00", "\ud83d"];
    for (const name of [...vectors, ...broken]) expect(factory.idFromName(name)).toBe(referenceId("dosim-Counter", name));
    // A lone surrogate is not U+FFFD to workerd: the two names get different ids.
    expect(factory.idFromName("\ud800")).not.toBe(factory.idFromName("\ufffd"));
    // Well-formed names hash their plain UTF-8, like Miniflare's Node-side helper.
    const key = createHash("sha256").update("dosim-Counter").digest();
    const first = createHmac("sha256", key).update("ü😀", "utf8").digest().subarray(0, 16);
    expect(factory.idFromName("ü😀").slice(0, 32)).toBe(first.toString("hex"));
    expect(factory.idFromName("foo")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("matches the reference for any name and unique key", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), names, (uniqueKey, name) => {
        expect(createObjectIdFactory(uniqueKey).idFromName(name)).toBe(referenceId(uniqueKey, name));
      }),
      { numRuns: 300 },
    );
  });

  it("uses Miniflare's default unique key", () => {
    expect(defaultUniqueKey("my-worker", "Counter")).toBe("my-worker-Counter");
    expect(defaultUniqueKey("", "Counter")).toBe("-Counter");
  });
});

describe("idFromString", () => {
  const factory = createObjectIdFactory("w-Counter");
  const id = factory.idFromName("foo");

  it("accepts its own ids, upper case too, and returns them in lower case", () => {
    expect(factory.idFromString(id)).toEqual({ ok: true, value: id });
    expect(factory.idFromString(id.toUpperCase())).toEqual({ ok: true, value: id });
    const unique = factory.newUniqueId(new Uint8Array(16).fill(0xab));
    expect(factory.idFromString(unique)).toEqual({ ok: true, value: unique });
  });

  it.each([
    ["too short", id.slice(0, 63)],
    ["too long", `${id}0`],
    ["empty", ""],
    ["not hex", `g${id.slice(1)}`],
    ["non-ASCII", `é${id.slice(1)}`],
    ["a 0x prefix", `0x${id.slice(2)}`],
  ])("refuses an id that is %s", (_, bad) => {
    const result = factory.idFromString(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("invalid-object-id");
    if (!result.ok) expect(result.error.message).toContain("64 hex digits");
  });

  it("refuses an altered id and an id from another namespace", () => {
    const last = id.at(-1) === "0" ? "1" : "0";
    const tampered = `${id.slice(0, 63)}${last}`;
    const firstHalfChanged = `${id[0] === "0" ? "1" : "0"}${id.slice(1)}`;
    const foreign = createObjectIdFactory("other-Counter").idFromName("foo");
    for (const bad of [tampered, firstHalfChanged, foreign]) {
      const result = factory.idFromString(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("invalid-object-id");
      if (!result.ok) expect(result.error.message).toContain("not valid for namespace");
    }
  });

  it("accepts ids from another factory with the same unique key", () => {
    expect(createObjectIdFactory("w-Counter").idFromString(id)).toEqual({ ok: true, value: id });
  });
});

describe("newUniqueId", () => {
  const factory = createObjectIdFactory("w-Counter");

  it("keeps the 16 injected bytes as the first half and seals them with the namespace MAC", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (random) => {
        const id = factory.newUniqueId(random);
        const key = createHash("sha256").update("w-Counter").digest();
        const mac = createHmac("sha256", key).update(random).digest().subarray(0, 16);
        expect(id).toBe(Buffer.concat([random, mac]).toString("hex"));
        expect(factory.idFromString(id).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("is a function of the injected bytes", () => {
    const random = new Uint8Array(16).map((_, i) => i);
    expect(factory.newUniqueId(random)).toBe(factory.newUniqueId(random.slice()));
  });

  it("throws when the host supplies anything but 16 bytes (a host bug, not user input)", () => {
    expect(() => factory.newUniqueId(new Uint8Array(15))).toThrow(RangeError);
    expect(() => factory.newUniqueId(new Uint8Array(32))).toThrow(RangeError);
  });
});
