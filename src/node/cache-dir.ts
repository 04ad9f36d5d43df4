/**
 * Entries of dosim's caches between runs, in `node_modules/.cache/dosim/<kind>` (the convention
 * babel, eslint and others follow). Entries are keyed by a hash of everything they derive from,
 * so a stale entry is never read; a cache that cannot be written is simply not used.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A hex SHA-256 of the parts, each length-prefixed so that no two lists of parts collide. */
export function cacheKey(parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    const bytes = typeof part === "string" ? Buffer.from(part, "utf8") : part;
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest("hex");
}

/** The cached JSON value under `key`, if there is one. */
export function readCached<T>(dir: string | undefined, key: string): T | undefined {
  if (dir === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(path.join(dir, `${key}.json`), "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Stores `value` under `key` (written aside, then renamed, so readers never see half a file). */
export function writeCached(dir: string | undefined, key: string, value: unknown): void {
  if (dir === undefined) return;
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${key}.json`);
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(value));
    renameSync(aside, file);
  } catch {
    // A read-only or missing node_modules: the next run derives the value again.
  }
}
