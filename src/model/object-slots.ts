/**
 * An object's slot: where a Durable Object falls in [0, SLOT_COUNT) when a deployment's
 * percentages are laid out (see assignment.ts). Cloudflare does not publish its function; ours is:
 *
 *   u    = bytes 0–5 of the object id, read as a big-endian 48-bit integer
 *   slot = floor(u × 100000 / 2^48), computed exactly (no floating-point rounding)
 *
 * Only the first half of the id (bytes 0–15, the part that names the object) is used, never the
 * MAC half, so the slot of a named object needs one HMAC, not two, and no hex. Every function here
 * agrees with `objectSlotFromId(factory.idFromName(name))`.
 */
import { hmacSha256String, type HmacSha256Key } from "./hash.js";
import { slotFromWords, slotsOfNameBytes, slotsOfNames, slotsOfNumberedNames } from "./name-slots.js";
import { createObjectIdFactory, type ObjectIdFactory } from "./object-ids.js";

/** A namespace, given either as its id factory or as its unique key. */
export type ObjectNamespace = ObjectIdFactory | string;

/**
 * The slot of an object id (at least its first 12 hex digits are read). Meant for ids that came
 * from an id factory; a string that does not start with 12 hex digits is a bug and throws.
 */
export function objectSlotFromId(id: string): number {
  if (!/^[0-9a-fA-F]{12}/.test(id)) throw new RangeError(`not a Durable Object id: ${JSON.stringify(id.slice(0, 80))}`);
  return slotFromWords(parseInt(id.slice(0, 8), 16), parseInt(id.slice(8, 12), 16) << 16);
}

// The last unique key given as a string, prepared: callers pass the same one over and over.
let lastUniqueKey: string | undefined;
let lastKey: HmacSha256Key | undefined;

/** The prepared HMAC key of a namespace. */
function hmacKeyOf(namespace: ObjectNamespace): HmacSha256Key {
  if (typeof namespace !== "string") return namespace.hmacKey;
  if (namespace !== lastUniqueKey || lastKey === undefined) {
    lastKey = createObjectIdFactory(namespace).hmacKey;
    lastUniqueKey = namespace;
  }
  return lastKey;
}

const DIGEST = new Int32Array(8);

/** The slot of the object named `name`: one HMAC of the name, no id string built. */
export function objectSlotFromName(namespace: ObjectNamespace, name: string): number {
  hmacSha256String(hmacKeyOf(namespace), name, DIGEST);
  return slotFromWords(DIGEST[0]!, DIGEST[1]!);
}

/**
 * The slots of many named objects, in order. Writes into `into` (from index 0) when given, so a
 * caller can fill a shared buffer; otherwise returns a new array.
 */
export function objectSlotsFromNames(namespace: ObjectNamespace, names: readonly string[], into: Int32Array = new Int32Array(names.length)): Int32Array {
  return slotsOfNames(hmacKeyOf(namespace), names, into);
}

/** The slots of objects whose names are given as UTF-8 byte ranges (see {@link slotsOfNameBytes}). */
export function objectSlotsFromNameBytes(namespace: ObjectNamespace, bytes: Uint8Array, starts: Int32Array, ends: Int32Array, into: Int32Array = new Int32Array(starts.length)): Int32Array {
  return slotsOfNameBytes(hmacKeyOf(namespace), bytes, starts, ends, into);
}

/** The slots of the objects named `<prefix><first>` onwards, names never made (see {@link slotsOfNumberedNames}). */
export function objectSlotsFromNumberedNames(namespace: ObjectNamespace, prefix: string, first: number, count: number, into: Int32Array = new Int32Array(count)): Int32Array {
  return slotsOfNumberedNames(hmacKeyOf(namespace), prefix, first, count, into);
}
