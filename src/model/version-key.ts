/**
 * The slot of a `Cloudflare-Workers-Version-Key` value. Cloudflare does not publish its hash, so
 * dosim documents its own: MurmurHash3 (x86, 32-bit, seed 0) over the key's UTF-8 bytes, scaled
 * onto [0, SLOT_COUNT). A fixed, well-known hash lets users reproduce a key's slot with any
 * murmur3 library, and scaling (rather than `% SLOT_COUNT`) keeps the slots evenly spread.
 */
import { SLOT_COUNT } from "./assignment.js";
import { createByteScratch, encodeString } from "./text-bytes.js";

/** The request header whose value pins a request to a version within a deployment. */
export const VERSION_KEY_HEADER = "Cloudflare-Workers-Version-Key";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const TWO_POW_32 = 4_294_967_296;

/** Non-ASCII keys are encoded here, reused across calls: hot loops must not allocate per key. */
const SCRATCH = createByteScratch();

/** Scrambles one 4-byte block (or the zero-padded tail) before it enters the state. */
function scramble(block: number): number {
  const k = Math.imul(block, C1);
  return Math.imul((k << 15) | (k >>> 17), C2);
}

/** Folds one full block into the running state `h`. */
function mixBlock(h: number, block: number): number {
  const x = h ^ scramble(block);
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

/** Folds the bytes `bytes[0..length)` into `h`, tail included, then finalises with `totalLength`. */
function finishBytes(h: number, bytes: Uint8Array, length: number, totalLength: number): number {
  const blockEnd = length & ~3;
  let i = 0;
  for (; i < blockEnd; i += 4) {
    h = mixBlock(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  const rest = length & 3;
  if (rest > 0) {
    let tail = bytes[i]!;
    if (rest > 1) tail |= bytes[i + 1]! << 8;
    if (rest > 2) tail |= bytes[i + 2]! << 16;
    h ^= scramble(tail);
  }
  h ^= totalLength;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}


/** MurmurHash3 x86 32-bit of raw bytes, as an unsigned integer. */
export function murmur3x86_32Bytes(bytes: Uint8Array, seed = 0): number {
  return finishBytes(seed | 0, bytes, bytes.length, bytes.length);
}

/**
 * MurmurHash3 x86 32-bit of the UTF-8 bytes of `text`, as an unsigned integer. Keys are nearly
 * always ASCII, so whole ASCII blocks are hashed straight from the string; only the part from the
 * first non-ASCII block on is encoded. That keeps it allocation-free and faster than the common
 * JavaScript murmur libraries (which, unlike this, hash UTF-16 code units truncated to bytes).
 */
export function murmur3x86_32(text: string, seed = 0): number {
  let h = seed | 0;
  let i = 0;
  for (; i + 4 <= text.length; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80) break;
    h = mixBlock(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
  }
  // `i` chars so far were ASCII, so `i` bytes went in and the state is block-aligned.
  const restLength = encodeString(text, i, SCRATCH, "replace"); // may grow SCRATCH.bytes: read it after
  return finishBytes(h, SCRATCH.bytes, restLength, i + restLength);
}

/** Scales a 32-bit hash onto a slot: floor(hash × SLOT_COUNT / 2^32), exact in doubles. */
export function hashToSlot(hash: number): number {
  return Math.floor(((hash >>> 0) * SLOT_COUNT) / TWO_POW_32);
}

/** The slot in [0, SLOT_COUNT) of a version key: murmur3_32(UTF-8 key, seed 0) scaled down. */
export function versionKeySlot(key: string): number {
  return hashToSlot(murmur3x86_32(key));
}
