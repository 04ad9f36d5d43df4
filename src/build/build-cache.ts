/**
 * The build cache, under `node_modules/.cache/dosim/builds` of the Worker's project: one folder
 * per build request (wrangler's version, the config's text, the config's and entry's paths relative
 * to the project, env and date), holding one entry per set of inputs seen for it — wrangler's output
 * and the hash of every input it depended on, by path relative to the project. An entry is used only
 * when every one of those files is unchanged, so an edit always rebuilds; being relative, an entry
 * also serves a copy of the project in another folder (a moved project, another CI checkout path).
 */
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { InputHashes } from "./build-inputs.js";
import { projectRelative, type PackageHomes } from "./portable-paths.js";
import type { DryRunRequest } from "./run-wrangler.js";

/** What a cache entry records beside wrangler's output. */
export interface CachedBuild {
  readonly entry: string;
  readonly inputs: InputHashes;
  /** Whether the project folder was searched for module-rule files (see scannedInputs). */
  readonly projectScan: boolean;
  /** Where each package the build read is found from the project. */
  readonly packages: PackageHomes;
}

/** A cache entry and its folder (wrangler's output is in its `out`). */
export interface CacheEntry {
  readonly dir: string;
  readonly build: CachedBuild;
}

/** How many entries (sets of inputs) one build request keeps; the least recently used go first. */
const ENTRIES_PER_KEY = 8;

/** The cache folder of a project: node_modules/.cache/dosim/builds of the nearest folder with node_modules. */
export function cacheRoot(projectDir: string): string {
  let dir = path.resolve(projectDir);
  for (;;) {
    if (existsSync(path.join(dir, "node_modules"))) return path.join(dir, "node_modules", ".cache", "dosim", "builds");
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(projectDir, "node_modules", ".cache", "dosim", "builds");
    dir = parent;
  }
}

/**
 * The key of a build request: everything about it that is not a source file, with its paths
 * relative to the project folder. A build with a `[build]` command is keyed by the project's
 * absolute folder as well (`relocatable` false): the command's output may depend on where it runs.
 */
export function cacheKey(request: DryRunRequest, wranglerVersion: string, relocatable: boolean): string {
  const projectDir = path.dirname(request.configPath);
  const configText = readFileSync(request.configPath, "utf8");
  const paths = {
    config: projectRelative(request.configPath, projectDir),
    script: request.script === undefined ? null : projectRelative(request.script, projectDir),
    at: relocatable ? null : path.resolve(projectDir),
  };
  const { env = null, compatibilityDate = null } = request;
  const parts = { layout: 2, wranglerVersion, paths, env, compatibilityDate, configText };
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
}

/** The recorded entries of `key`, most recently used first (not yet checked against the sources). */
export function readCachedBuilds(root: string, key: string): CacheEntry[] {
  const entries: Array<CacheEntry & { usedMs: number }> = [];
  let names: string[];
  try {
    names = readdirSync(path.join(root, key));
  } catch {
    return [];
  }
  for (const name of names) {
    const dir = path.join(root, key, name);
    try {
      const build = JSON.parse(readFileSync(path.join(dir, "build.json"), "utf8")) as CachedBuild;
      entries.push({ dir, build, usedMs: statSync(dir).mtimeMs });
    } catch {
      // Not an entry (or one being replaced right now): skip it.
    }
  }
  return entries.sort((a, b) => b.usedMs - a.usedMs).map(({ dir, build }) => ({ dir, build }));
}

/** Marks an entry as just used, so that pruning keeps it. */
export function touchEntry(entry: CacheEntry): void {
  const now = new Date();
  try {
    utimesSync(entry.dir, now, now);
  } catch {
    // Pruned by another process meanwhile: its output was read already.
  }
}

/** A fresh scratch folder in the cache root for one dry run (removed by the caller). */
export function scratchFolder(root: string): string {
  const dir = path.join(root, `tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Stores wrangler's output folder and its inputs as an entry of `key`, replacing one with the same
 * inputs, and drops the least recently used beyond {@link ENTRIES_PER_KEY}. The entry is assembled
 * aside and renamed into place, so a reader never sees half of it.
 */
export function storeCachedBuild(root: string, key: string, outdir: string, build: CachedBuild): void {
  const staging = scratchFolder(root);
  try {
    cpSync(outdir, path.join(staging, "out"), { recursive: true });
    writeFileSync(path.join(staging, "build.json"), JSON.stringify(build));
    const variant = createHash("sha256").update(JSON.stringify([build.inputs, build.packages])).digest("hex").slice(0, 16);
    const target = path.join(root, key, variant);
    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch {
    // Another process stored the same entry at the same moment: its entry serves as well.
    rmSync(staging, { recursive: true, force: true });
  }
  for (const old of readCachedBuilds(root, key).slice(ENTRIES_PER_KEY)) rmSync(old.dir, { recursive: true, force: true });
}
