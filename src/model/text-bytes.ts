/**
 * Turning a JavaScript string into bytes without allocating, for the hot hashing paths. Two rules
 * differ only in lone surrogates (a UTF-16 half with no partner): workerd hashes an object name's
 * lone surrogate as its raw three-byte form (WTF-8), while a version key is plain UTF-8, where
 * `TextEncoder` writes U+FFFD instead. Everything else is UTF-8.
 */

/** What a lone surrogate becomes. */
export type LoneSurrogates = "wtf8" | "replace";

/** A reusable output buffer that grows on demand. */
export interface ByteScratch {
  bytes: Uint8Array;
}

/** A new scratch buffer. */
export function createByteScratch(initialBytes = 256): ByteScratch {
  return { bytes: new Uint8Array(initialBytes) };
}

/**
 * Encodes `text` from code unit `start` into `scratch.bytes` (growing it first if needed) and
 * returns the number of bytes written. Read `scratch.bytes` only after the call.
 */
export function encodeString(text: string, start: number, scratch: ByteScratch, loneSurrogates: LoneSurrogates): number {
  const n = text.length;
  const needed = (n - start) * 3;
  if (scratch.bytes.length < needed) scratch.bytes = new Uint8Array(needed + 64);
  const out = scratch.bytes;
  let p = 0;
  for (let i = start; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
      continue;
    }
    if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        const point = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        out[p++] = 0xf0 | (point >> 18);
        out[p++] = 0x80 | ((point >> 12) & 0x3f);
        out[p++] = 0x80 | ((point >> 6) & 0x3f);
        out[p++] = 0x80 | (point & 0x3f);
        i++;
        continue;
      }
    }
    if (loneSurrogates === "replace" && c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    out[p++] = 0xe0 | (c >> 12);
    out[p++] = 0x80 | ((c >> 6) & 0x3f);
    out[p++] = 0x80 | (c & 0x3f);
  }
  return p;
}
