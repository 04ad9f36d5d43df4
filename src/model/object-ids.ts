/**
 * Durable Object ids exactly as workerd derives them (src/workerd/server/actor-id-impl.c++), so an
 * id computed here equals `env.NS.idFromName(name).toString()` inside Miniflare.
 *
 * An id is 32 bytes written as 64 lower-case hex digits. With key = SHA-256(uniqueKey):
 * - bytes 0–15 identify the object: HMAC-SHA256(key, name bytes)[0..16] for a named object, the
 *   name's bytes being UTF-8 with lone surrogates kept as WTF-8 (see hash.ts: workerd does not
 *   replace them, so Miniflare's own Node-side helper, which does, disagrees for such names);
 *   16 random bytes for `newUniqueId()` (workerd fixes no bits: it has no jurisdictions);
 * - bytes 16–31 are a MAC: HMAC-SHA256(key, bytes 0–15)[0..16]. `idFromString` recomputes it, which
 *   is how an id from another namespace (another uniqueKey) is refused.
 */
import { fail, ok, type Result } from "./errors.js";
import { hmacSha256String, hmacSha256Words, prepareHmacSha256Key, sha256, type HmacSha256Key } from "./hash.js";

/** Length of an object id in hex digits (32 bytes). */
export const OBJECT_ID_HEX_LENGTH = 64;

/** The id functions of one Durable Object namespace, as workerd's ActorIdFactoryImpl has them. */
export interface ObjectIdFactory {
  /** The namespace's unique key (Miniflare: `unsafeUniqueKey`, or `<workerName>-<className>`). */
  readonly uniqueKey: string;
  /** The namespace's HMAC key, precomputed; the slot functions reuse it. */
  readonly hmacKey: HmacSha256Key;
  /** The id of the object named `name` (any string, even empty), as 64 lower-case hex digits. */
  idFromName(name: string): string;
  /**
   * Validates an id string like workerd does: 64 hex digits (either case) whose MAC half matches
   * this namespace. Returns the id in lower case, as workerd's `toString()` prints it.
   */
  idFromString(id: string): Result<string>;
  /** A new unique id from 16 caller-supplied random bytes (the model never draws randomness). */
  newUniqueId(random16: Uint8Array): string;
}

/** The uniqueKey Miniflare gives a Durable Object class when no `unsafeUniqueKey` is set. */
export function defaultUniqueKey(workerName: string, className: string): string {
  return `${workerName}-${className}`;
}

/** Creates the id functions of the namespace whose unique key is `uniqueKey`. */
export function createObjectIdFactory(uniqueKey: string): ObjectIdFactory {
  // The unique key reaches workerd through Miniflare's config, written from Node, so it is plain
  // UTF-8 (TextEncoder), unlike names, which workerd reads from JS strings itself.
  const hmacKey = prepareHmacSha256Key(sha256(new TextEncoder().encode(uniqueKey)));
  // Per-factory scratch: the id as 8 words (first half, then MAC half) and the MAC's full digest.
  const idWords = new Int32Array(8);
  const macWords = new Int32Array(8);

  /** Fills idWords[4..7] with the MAC of idWords[0..3] and returns the whole id in hex. */
  const sealAndFormat = (): string => {
    hmacSha256Words(hmacKey, idWords, 4, macWords);
    idWords.set(macWords.subarray(0, 4), 4);
    return wordsToHex(idWords);
  };

  return {
    uniqueKey,
    hmacKey,
    idFromName(name) {
      hmacSha256String(hmacKey, name, idWords);
      return sealAndFormat();
    },
    idFromString(id) {
      const words = hexToWords(id);
      if (words === undefined) {
        return fail("invalid-object-id", `Invalid Durable Object ID ${JSON.stringify(preview(id))}: it must be 64 hex digits.`, {
          id: preview(id),
        });
      }
      hmacSha256Words(hmacKey, words, 4, macWords);
      for (let i = 0; i < 4; i++) {
        if (macWords[i] !== words[i + 4]) {
          return fail(
            "invalid-object-id",
            `Durable Object ID "${id}" is not valid for namespace "${uniqueKey}": it was made by another namespace (another unique key) or altered.`,
            { id, uniqueKey },
          );
        }
      }
      return ok(id.toLowerCase());
    },
    newUniqueId(random16) {
      if (random16.length !== 16) throw new RangeError(`newUniqueId needs exactly 16 random bytes, got ${random16.length}`);
      for (let i = 0; i < 4; i++) {
        const j = i * 4;
        idWords[i] = (random16[j]! << 24) | (random16[j + 1]! << 16) | (random16[j + 2]! << 8) | random16[j + 3]!;
      }
      return sealAndFormat();
    },
  };
}

/** The id cut short for a message, so a pasted blob cannot flood the output. */
function preview(id: string): string {
  return id.length > 80 ? `${id.slice(0, 77)}...` : id;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Big-endian words as lower-case hex (the order workerd's `toString()` prints bytes in). */
function wordsToHex(words: Int32Array): string {
  let hex = "";
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    hex += HEX_PAIRS[(w >>> 24) & 0xff]! + HEX_PAIRS[(w >>> 16) & 0xff]! + HEX_PAIRS[(w >>> 8) & 0xff]! + HEX_PAIRS[w & 0xff]!;
  }
  return hex;
}

/** Parses exactly 64 hex digits (either case) into 8 big-endian words, or undefined. */
function hexToWords(hex: string): Int32Array | undefined {
  if (hex.length !== OBJECT_ID_HEX_LENGTH || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const words = new Int32Array(8);
  for (let i = 0; i < 8; i++) words[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16) | 0;
  return words;
}
