/**
 * The slots of many named objects under a namespace's prepared HMAC key (see object-slots.ts for
 * the rule, and for the same functions taking a namespace). This module needs only the HMAC, so a
 * plan's worker thread, given the key, loads nothing else (no id factory, no hashing library).
 */
import { SLOT_COUNT } from "./assignment.js";
import { hmacSha256Bytes, hmacSha256String, type HmacSha256Key } from "./hmac-sha256.js";

const DIGEST = new Int32Array(8);

/**
 * The slot of digest/id words w0 (bytes 0–3) and w1 (bytes 4–7). With u = hi·2^16 + lo,
 * floor(u·100000/2^48) = floor((hi·100000 + floor(lo·100000/2^16)) / 2^32); every term stays
 * below 2^53, so this is exact where `u / 2^48 * 100000` in floating point could round up.
 */
export function slotFromWords(w0: number, w1: number): number {
  const hi = w0 >>> 0;
  const lo = w1 >>> 16;
  return Math.floor((hi * SLOT_COUNT + Math.floor((lo * SLOT_COUNT) / 0x1_0000)) / 0x1_0000_0000);
}

/**
 * The slots of many named objects, in order. Writes into `into` (from index 0) when given, so a
 * caller can fill a shared buffer; otherwise returns a new array.
 */
export function slotsOfNames(
  key: HmacSha256Key,
  names: readonly string[],
  into: Int32Array = new Int32Array(names.length),
): Int32Array {
  if (into.length < names.length) throw new RangeError(`output holds ${into.length} slots, ${names.length} needed`);
  const digest = DIGEST;
  for (let i = 0; i < names.length; i++) {
    hmacSha256String(key, names[i]!, digest);
    into[i] = slotFromWords(digest[0]!, digest[1]!);
  }
  return into;
}

/**
 * The slots of objects whose names are given as UTF-8 bytes: name i is `bytes[starts[i]]` up to
 * `bytes[ends[i]]` (exclusive). Each name is copied into a scratch buffer and hashed there, as
 * {@link slotsOfNames} hashes its UTF-8 encoding; no string is made.
 */
export function slotsOfNameBytes(
  key: HmacSha256Key,
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  into: Int32Array = new Int32Array(starts.length),
): Int32Array {
  if (into.length < starts.length || ends.length < starts.length) throw new RangeError(`output holds ${into.length} slots and ${ends.length} ends, ${starts.length} needed`);
  let scratch = new Uint8Array(256);
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const length = ends[i]! - start;
    if (length > scratch.length) scratch = new Uint8Array(length * 2);
    for (let at = 0; at < length; at++) scratch[at] = bytes[start + at]!;
    hmacSha256Bytes(key, scratch, length, DIGEST);
    into[i] = slotFromWords(DIGEST[0]!, DIGEST[1]!);
  }
  return into;
}

/**
 * The slots of the objects named `<prefix><first>`, `<prefix><first + 1>`, ... (`count` of them;
 * an ASCII prefix, whole numbers from 0), as {@link slotsOfNames} gives them, without
 * making the names: each name's bytes are the previous one's with its decimal number counted up
 * in place. A million generated names cost more as strings (and their garbage) than as hashing.
 */
export function slotsOfNumberedNames(key: HmacSha256Key, prefix: string, first: number, count: number, into: Int32Array = new Int32Array(count)): Int32Array {
  if (into.length < count) throw new RangeError(`output holds ${into.length} slots, ${count} needed`);
  if (!/^[\x20-\x7e]*$/.test(prefix) || !Number.isSafeInteger(first) || first < 0) throw new RangeError("objectSlotsFromNumberedNames takes an ASCII prefix and a whole first number");
  const digits = String(first);
  const bytes = new Uint8Array(prefix.length + 17);
  for (let i = 0; i < prefix.length; i++) bytes[i] = prefix.charCodeAt(i);
  for (let i = 0; i < digits.length; i++) bytes[prefix.length + i] = digits.charCodeAt(i);
  let length = prefix.length + digits.length;
  for (let i = 0; i < count; i++) {
    hmacSha256Bytes(key, bytes, length, DIGEST);
    into[i] = slotFromWords(DIGEST[0]!, DIGEST[1]!);
    length = countUp(bytes, prefix.length, length);
  }
  return into;
}

/** Adds one to the decimal number in `bytes` from `start` to `end`; returns its new end. */
function countUp(bytes: Uint8Array, start: number, end: number): number {
  let at = end - 1;
  while (at >= start && bytes[at] === 0x39) bytes[at--] = 0x30;
  if (at >= start) {
    bytes[at]!++;
    return end;
  }
  // 99…9 became 00…0: one more digit, a leading 1.
  bytes[start] = 0x31;
  bytes[end] = 0x30;
  return end + 1;
}
