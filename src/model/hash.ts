/**
 * SHA-256 and HMAC-SHA256, synchronous and pure, for Durable Object ids and slots. One-shot
 * helpers come from @noble/hashes; the hot path (HMAC under one fixed key over millions of short
 * names) is in hmac-sha256.ts, re-exported here.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { hmacKeyFromBlock, type HmacSha256Key } from "./hmac-sha256.js";

export { hmacSha256Bytes, hmacSha256String, hmacSha256Words, type HmacSha256Key } from "./hmac-sha256.js";

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** HMAC-SHA256 of `message` under `key` (the plain, unoptimised reference). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, message);
}

/** Reduces an HMAC key (any length, per RFC 2104) to its inner and outer states. */
export function prepareHmacSha256Key(key: Uint8Array): HmacSha256Key {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  return hmacKeyFromBlock(block);
}
