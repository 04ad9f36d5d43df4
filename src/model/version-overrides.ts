/**
 * The `Cloudflare-Workers-Version-Overrides` header: an RFC 8941 Dictionary whose keys are Worker
 * names and whose values are version ids as sf-strings, e.g. `my-worker="3f2c…"`. The platform
 * ignores a header it cannot use rather than failing the request, so every problem here (bad
 * syntax, a token or byte sequence instead of a string, a version not in the deployment) reads as
 * "no override" and routing falls through.
 */
import { DisplayString, parseDictionary, serializeDictionary } from "structured-headers";
import type { BareItem, Dictionary, Item, Parameters } from "structured-headers";
import { fail, ok, type Result } from "./errors.js";
import type { Deployment, VersionId } from "./types.js";

/** The request header that pins a request to a named version of one or more Workers. */
export const VERSION_OVERRIDES_HEADER = "Cloudflare-Workers-Version-Overrides";

/**
 * Types RFC 9651 added to Structured Fields. The header is specified as RFC 8941, where they are
 * syntax errors, so a header holding one is unparsable as a whole. (This also hides a quirk of
 * structured-headers 2.1.0, which fails `a=@1, b="x"` but accepts `b="x", a=@1`.)
 */
function isRfc9651Only(value: BareItem): boolean {
  return value instanceof Date || value instanceof DisplayString;
}

/** True when any item or parameter of `params` uses a type RFC 8941 does not have. */
function paramsUseRfc9651(params: Parameters): boolean {
  for (const value of params.values()) if (isRfc9651Only(value)) return true;
  return false;
}

/** True when any part of the parsed dictionary uses a type RFC 8941 does not have. */
function usesRfc9651(dictionary: Dictionary): boolean {
  for (const [value, params] of dictionary.values()) {
    if (paramsUseRfc9651(params)) return true;
    const items: Item[] = Array.isArray(value) ? value : [[value, params]];
    for (const [bare, itemParams] of items) {
      if (isRfc9651Only(bare) || paramsUseRfc9651(itemParams)) return true;
    }
  }
  return false;
}

/**
 * Every `worker="version"` member of the header, by Worker name. Members whose value is not an
 * sf-string are left out; parameters on a string are ignored, as RFC 8941 asks of unknown ones.
 * A missing or unparsable header gives an empty map. Never throws.
 */
export function parseOverrides(headerValue: string | null | undefined): ReadonlyMap<string, VersionId> {
  const overrides = new Map<string, VersionId>();
  if (headerValue === null || headerValue === undefined) return overrides;
  let dictionary: Dictionary;
  try {
    dictionary = parseDictionary(headerValue);
  } catch {
    return overrides;
  }
  if (usesRfc9651(dictionary)) return overrides;
  for (const [workerName, [value]] of dictionary) {
    if (typeof value === "string") overrides.set(workerName, value);
  }
  return overrides;
}

/**
 * The version the header asks for `workerName`, if that version is listed in `deployment` (a 0%
 * entry counts: that is how a version is smoke-tested before it takes traffic). Otherwise
 * undefined. Dictionary keys are lowercase by definition, so a Worker name that is not a valid
 * key (uppercase, leading digit) can never be overridden.
 */
export function overrideVersionFor(
  headerValue: string | null | undefined,
  workerName: string,
  deployment: Pick<Deployment, "entries">,
): VersionId | undefined {
  const versionId = parseOverrides(headerValue).get(workerName);
  if (versionId === undefined) return undefined;
  return deployment.entries.some((entry) => entry.versionId === versionId) ? versionId : undefined;
}

/**
 * Builds a header value from Worker name → version id, for clients and tests. Refused
 * ("invalid-input") when a name is not a valid dictionary key or an id is not printable ASCII.
 */
export function formatOverridesHeader(
  overrides: ReadonlyMap<string, VersionId> | Readonly<Record<string, VersionId>>,
): Result<string> {
  const entries = overrides instanceof Map ? [...overrides] : Object.entries(overrides);
  const dictionary: Dictionary = new Map(entries.map(([name, id]) => [name, [id, new Map()] as Item]));
  try {
    return ok(serializeDictionary(dictionary));
  } catch (error) {
    return fail(
      "invalid-input",
      "Worker names in the overrides header must be lowercase keys (a-z first, then a-z 0-9 _ - . *) and version ids printable ASCII.",
      { reason: error instanceof Error ? error.message : String(error) },
    );
  }
}
