import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { truncateUtf8, utf8ByteLength } from "../../src/model/utf8.js";

const encoder = new TextEncoder();

/** Any code point, or now and then a lone surrogate (TextEncoder writes it as U+FFFD). */
const unit = fc.oneof(
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 9 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), weight: 1 },
);

describe("utf8ByteLength", () => {
  it("counts 1, 2, 3 and 4 byte characters", () => {
    expect(utf8ByteLength("")).toBe(0);
    expect(utf8ByteLength("a")).toBe(1);
    expect(utf8ByteLength("é")).toBe(2);
    expect(utf8ByteLength("界")).toBe(3);
    expect(utf8ByteLength("😀")).toBe(4);
    expect(utf8ByteLength("aé界😀")).toBe(10);
  });

  it("counts a lone surrogate as U+FFFD (3 bytes), like TextEncoder", () => {
    expect(utf8ByteLength("\uD800")).toBe(3);
    expect(utf8ByteLength("x\uDC00y")).toBe(5);
  });

  it("agrees with TextEncoder on any string", () => {
    fc.assert(
      fc.property(fc.string({ unit }), (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("truncateUtf8", () => {
  it("keeps text that fits and cuts before a character that would not", () => {
    expect(truncateUtf8("hello", 10)).toBe("hello");
    expect(truncateUtf8("hello", 3)).toBe("hel");
    expect(truncateUtf8("aé", 2)).toBe("a");
    expect(truncateUtf8("界界", 5)).toBe("界");
    expect(truncateUtf8("😀", 3)).toBe("");
    expect(truncateUtf8("a😀", 4)).toBe("a");
    expect(truncateUtf8("anything", 0)).toBe("");
  });

  it("returns the longest whole-character prefix within the limit", () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), fc.nat(120), (text, maxBytes) => {
        const cut = truncateUtf8(text, maxBytes);
        expect(text.startsWith(cut)).toBe(true);
        expect(utf8ByteLength(cut)).toBeLessThanOrEqual(maxBytes);
        // Never splits a surrogate pair.
        expect([...cut].every((char, index) => char === [...text][index])).toBe(true);
        // Longest: the next character would not fit.
        const next = [...text][[...cut].length];
        if (next !== undefined) expect(utf8ByteLength(cut + next)).toBeGreaterThan(maxBytes);
      }),
      { numRuns: 300 },
    );
  });
});
