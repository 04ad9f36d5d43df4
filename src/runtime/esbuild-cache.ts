/**
 * esbuild's output, cached by content under `node_modules/.cache/dosim/esbuild` of dosim's own
 * folder, so that a process whose inputs were seen before starts no esbuild service. A bundle's
 * entry records the hash of every file esbuild read (its metafile's inputs) and is used only when
 * every one is unchanged, so an edit always rebundles; a transform's entry is keyed by the code
 * itself. Entries are written whole (to a temporary name, then renamed), so concurrent processes
 * never read half of one.
 */
import type { BuildOptions, TransformOptions } from "esbuild";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot } from "../build/build-cache.js";

/** dosim's own folder: bundle inputs are recorded relative to it, so a moved checkout still hits. */
const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));

/** The installed esbuild's version (part of every key: another esbuild may bundle differently). */
const ESBUILD_VERSION = (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version;

/** How many transforms are kept; the least recently written go first. */
const TRANSFORMS_KEPT = 32;

/** A cached bundle: its text and the hash of each file it was bundled from, relative to PACKAGE_DIR. */
interface BundleEntry {
  readonly inputs: Record<string, string>;
  readonly text: string;
}

/** A cached transform: the code and esbuild's warnings. */
export interface TransformEntry {
  readonly code: string;
  readonly warnings: readonly string[];
}

function hashOf(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function cacheDir(kind: "bundles" | "transforms"): string {
  return path.join(path.dirname(cacheRoot(PACKAGE_DIR)), "esbuild", kind);
}

function readEntry<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Writes an entry whole; a cache that cannot be written only costs the next process a rebuild. */
function writeEntry(file: string, entry: BundleEntry | TransformEntry): void {
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, JSON.stringify(entry));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

function unchanged(inputs: Record<string, string>): boolean {
  try {
    return Object.entries(inputs).every(([input, hash]) => hashOf(readFileSync(path.resolve(PACKAGE_DIR, input))) === hash);
  } catch {
    return false;
  }
}

/**
 * esbuild's bundle of one of dosim's own entry points (`options` writes nothing and has one
 * output), from the cache when none of its inputs changed.
 */
export async function cachedBundle(entry: string, options: BuildOptions): Promise<string> {
  const relativeEntry = path.relative(PACKAGE_DIR, entry);
  const file = path.join(cacheDir("bundles"), `${hashOf(JSON.stringify({ esbuild: ESBUILD_VERSION, entry: relativeEntry, options }))}.json`);
  const cached = readEntry<BundleEntry>(file);
  if (cached !== undefined && unchanged(cached.inputs)) return cached.text;
  const { build } = await import("esbuild");
  // Paths (the metafile's, the comments heading each module) are relative to dosim's folder, not
  // to wherever the process runs, so that the output is the same from any folder.
  const result = await build({ ...options, entryPoints: [entry], absWorkingDir: PACKAGE_DIR, metafile: true });
  const text = result.outputFiles![0]!.text;
  const inputs = Object.fromEntries(Object.keys(result.metafile!.inputs).map((input) => [input, hashOf(readFileSync(path.resolve(PACKAGE_DIR, input)))]));
  writeEntry(file, { inputs, text });
  return text;
}

/** Removes all but the newest {@link TRANSFORMS_KEPT} transforms. */
function pruneTransforms(dir: string): void {
  try {
    const entries = readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => ({ file: path.join(dir, name), mtimeMs: statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { file } of entries.slice(TRANSFORMS_KEPT)) rmSync(file, { force: true });
  } catch {
    // Another process pruned at the same time: nothing is lost.
  }
}

/**
 * esbuild's transform of `code` (its warnings' texts beside it), from the cache when the same code
 * was transformed with the same options before. Throws as esbuild does when the code does not parse.
 */
export async function cachedTransform(code: string, options: TransformOptions): Promise<TransformEntry> {
  const dir = cacheDir("transforms");
  const file = path.join(dir, `${hashOf(JSON.stringify({ esbuild: ESBUILD_VERSION, options, code }))}.json`);
  const cached = readEntry<TransformEntry>(file);
  if (cached !== undefined) return cached;
  const { transform } = await import("esbuild");
  const result = await transform(code, options);
  const entry = { code: result.code, warnings: result.warnings.map((warning) => warning.text) };
  writeEntry(file, entry);
  pruneTransforms(dir);
  return entry;
}
