/**
 * HMAC-SHA256 under one fixed key over millions of short names, synchronous and pure: its own
 * SHA-256 compression over 32-bit words. The key's inner and outer states are computed once
 * ({@link hmacKeyFromBlock}), so a message of up to 55 bytes costs exactly two compressions and
 * allocates nothing. Digests are 8 big-endian words in an Int32Array (word 0 holds digest bytes
 * 0–3), which is what ids and slots consume directly. This module imports no hashing library, so
 * a plan's worker thread, which needs only this, starts without loading one (see hash.ts for the
 * one-shot functions).
 *
 * The scratch buffers below are module-level: every function is synchronous and non-reentrant, so
 * sharing them is safe in one JS thread (each worker thread gets its own module instance).
 */
import { createByteScratch, encodeString } from "./text-bytes.js";

/** An HMAC-SHA256 key reduced to the SHA-256 states after its ipad and opad blocks. */
export interface HmacSha256Key {
  /** State after compressing `key XOR 0x36…` (8 words). */
  readonly inner: Int32Array;
  /** State after compressing `key XOR 0x5c…` (8 words). */
  readonly outer: Int32Array;
}

// prettier-ignore
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message schedule; callers fill words 0–15, {@link compress} expands the rest. */
const W = new Int32Array(64);
/** The inner hash's running state. */
const INNER = new Int32Array(8);
/** Encoded bytes of the current message when it is not short ASCII; grows on demand. */
const TEXT = createByteScratch();

/**
 * One SHA-256 compression of the block in W[0..15] into `state`. The schedule is expanded inside
 * the round loop and Ch/Maj use their 3-operation forms: measured ~15% faster than the textbook
 * two-loop shape in V8.
 */
function compress(state: Int32Array): void {
  const w = W;
  const k = K;
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!;
  let e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    let wi: number;
    if (i < 16) {
      wi = w[i]!;
    } else {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      wi = w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + (g ^ (e & (f ^ g))) + k[i]! + wi) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0; state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0; state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0; state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0; state[7] = (state[7]! + h) | 0;
}

/** Puts the padding's length field (message bits, counting the 64-byte key block) in W[14..15]. */
function putLength(messageBytes: number): void {
  const bits = (64 + messageBytes) * 8;
  W[14] = Math.floor(bits / 0x1_0000_0000);
  W[15] = bits | 0;
}

/** Finishes an HMAC: hashes the inner digest (in INNER) under the outer state into `out`. */
function finishOuter(key: HmacSha256Key, out: Int32Array): Int32Array {
  W.set(INNER, 0);
  W[8] = 0x80000000 | 0;
  W.fill(0, 9, 15);
  W[15] = (64 + 32) * 8;
  out.set(key.outer);
  compress(out);
  return out;
}

/** An HMAC key of at most 64 bytes, zero-padded to one block, reduced to its inner and outer states. */
export function hmacKeyFromBlock(block: Uint8Array): HmacSha256Key {
  if (block.length !== 64) throw new RangeError("hmacKeyFromBlock takes one 64-byte block");
  const stateAfter = (pad: number): Int32Array => {
    for (let i = 0; i < 16; i++) {
      const j = i * 4;
      W[i] = ((block[j]! ^ pad) << 24) | ((block[j + 1]! ^ pad) << 16) | ((block[j + 2]! ^ pad) << 8) | (block[j + 3]! ^ pad);
    }
    const state = IV.slice();
    compress(state);
    return state;
  };
  return { inner: stateAfter(0x36), outer: stateAfter(0x5c) };
}

/**
 * HMAC-SHA256 of the first `length` bytes of `message` under a prepared key, as 8 big-endian words
 * written to `out` (which is returned). Any length works; up to 55 bytes is one inner block.
 */
export function hmacSha256Bytes(key: HmacSha256Key, message: Uint8Array, length: number, out: Int32Array): Int32Array {
  INNER.set(key.inner);
  let offset = 0;
  for (; length - offset >= 64; offset += 64) {
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      W[i] = (message[j]! << 24) | (message[j + 1]! << 16) | (message[j + 2]! << 8) | message[j + 3]!;
    }
    compress(INNER);
  }
  // The tail, the 0x80 terminator and zeros; the length goes in this block or one more.
  W.fill(0, 0, 16);
  const tail = length - offset;
  for (let i = 0; i < tail; i++) W[i >> 2]! |= message[offset + i]! << (24 - ((i & 3) << 3));
  W[tail >> 2]! |= 0x80 << (24 - ((tail & 3) << 3));
  if (tail > 55) {
    compress(INNER);
    W.fill(0, 0, 16);
  }
  putLength(length);
  compress(INNER);
  return finishOuter(key, out);
}

/**
 * HMAC-SHA256 of a message given as whole big-endian words (at most 13, so one block), e.g. the
 * first half of an object id. Writes 8 words to `out` and returns it.
 */
export function hmacSha256Words(key: HmacSha256Key, message: Int32Array, wordCount: number, out: Int32Array): Int32Array {
  if (wordCount > 13) throw new RangeError("hmacSha256Words takes at most 13 words (one block)");
  for (let i = 0; i < wordCount; i++) W[i] = message[i]!;
  W[wordCount] = 0x80000000 | 0;
  W.fill(0, wordCount + 1, 14);
  putLength(wordCount * 4);
  INNER.set(key.inner);
  compress(INNER);
  return finishOuter(key, out);
}

/**
 * HMAC-SHA256 of `text` as workerd turns a JS string into bytes: UTF-8, except that a lone
 * surrogate is written as its own 3-byte sequence (WTF-8), because workerd's string conversion
 * does not ask V8 to replace it with U+FFFD (measured: TextEncoder and node:crypto would replace
 * it and get a different id). Short ASCII text is packed into the block without encoding.
 */
export function hmacSha256String(key: HmacSha256Key, text: string, out: Int32Array): Int32Array {
  const n = text.length;
  if (n <= 55) {
    // Optimistic: pack ASCII straight into W; bail out to the encoder at the first non-ASCII unit.
    let word = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      word = (word << 8) | c;
      if ((i & 3) === 3) {
        W[i >> 2] = word;
        word = 0;
      }
    }
    if (i === n) {
      // Terminator 0x80 after the last byte, then zero words up to the length field.
      const used = n & 3;
      W[n >> 2] = ((word << 8) | 0x80) << ((3 - used) << 3);
      W.fill(0, (n >> 2) + 1, 14);
      putLength(n);
      INNER.set(key.inner);
      compress(INNER);
      return finishOuter(key, out);
    }
  }
  const length = encodeString(text, 0, TEXT, "wtf8"); // may grow TEXT.bytes: read it after
  return hmacSha256Bytes(key, TEXT.bytes, length, out);
}

