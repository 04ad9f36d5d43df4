/**
 * What dosim derives from a wrangler config with wrangler's own readers, cached between runs:
 * loading wrangler costs one to two seconds, and most runs read a config they have read before.
 * An entry is keyed by everything wrangler's answer can depend on: the config's path and bytes,
 * the environment (`-e/--env` and the CLOUDFLARE_ENV variable wrangler reads), the current folder
 * (wrangler resolves some paths against it), wrangler's version, and the bytes of the `.dev.vars*`
 * and `.env*` files beside the config. Only plain JSON values are cached (a field set to undefined
 * counts as absent, as it does to every reader of these values).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cacheRoot } from "../build/build-cache.js";
import { WRANGLER_VERSION } from "../build/run-wrangler.js";
import { cacheKey, readCached, writeCached } from "./cache-dir.js";

/** The wrapper an entry is stored in, so that a cached `undefined` is told apart from a miss. */
interface Entry<T> {
  readonly value: T;
}

/** True when JSON keeps all of `value`: no functions, Maps, Dates, class instances or non-finite numbers. */
function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((field) => field === undefined || isPlainJson(field));
}

/** The local-dev files wrangler may read beside a config, as key parts (name and bytes). */
function envFileParts(configDir: string): (string | Uint8Array)[] {
  let names: string[];
  try {
    names = readdirSync(configDir).filter((name) => name.startsWith(".dev.vars") || name.startsWith(".env")).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      return [name, readFileSync(path.join(configDir, name))];
    } catch {
      return [name];
    }
  });
}

/**
 * `derive()`'s answer for the config at `absolute` read with `env`, from the cache when this very
 * question was answered before. `kind` names the question and its cache folder (in
 * node_modules/.cache/dosim of the config's project, as builds), `format` the shape of its answer; `extra` adds the caller's other
 * inputs to the key. A config that cannot be read is not cached: `derive` runs.
 */
export function cachedConfigRead<T>(kind: string, format: number, absolute: string, env: string | undefined, extra: readonly string[], derive: () => T): T {
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch {
    return derive();
  }
  // Beside the config's build cache: node_modules/.cache/dosim of the config's project.
  const dir = path.join(path.dirname(cacheRoot(path.dirname(absolute))), kind);
  const key = cacheKey([`${kind}/${format}`, WRANGLER_VERSION, absolute, bytes, env ?? "", process.env.CLOUDFLARE_ENV ?? "", process.cwd(), ...extra, ...envFileParts(path.dirname(absolute))]);
  const cached = readCached<Entry<T>>(dir, key);
  if (cached !== undefined && typeof cached === "object" && "value" in cached) return cached.value;
  const value = derive();
  if (isPlainJson(value)) writeCached(dir, key, { value } satisfies Entry<T>);
  return value;
}
