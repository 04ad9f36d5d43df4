/**
 * The build cache, under `node_modules/.cache/dosim/builds` of the Worker's project: one folder
 * per build request (wrangler's version, the config's path and text, the entry, env and date),
 * holding wrangler's output and the hash of every input it depended on. An entry is used only when
 * every one of those files is unchanged, so an edit always rebuilds.
 */
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { InputHashes } from "./build-inputs.js";
import type { DryRunRequest } from "./run-wrangler.js";

/** What a cache entry records beside wrangler's output. */
export interface CachedBuild {
  readonly entry: string;
  readonly inputs: InputHashes;
  /** Whether the project folder was searched for module-rule files (see scannedInputs). */
  readonly projectScan: boolean;
}

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

/** The key of a build request: everything about it that is not a source file. */
export function cacheKey(request: DryRunRequest, wranglerVersion: string): string {
  const configText = readFileSync(request.configPath, "utf8");
  return createHash("sha256").update(JSON.stringify({ wranglerVersion, request, configText })).digest("hex").slice(0, 32);
}

/** The folder of a key's entry. */
export function entryDir(root: string, key: string): string {
  return path.join(root, key);
}

/** The recorded build of `key`, if any (not yet checked against the sources). */
export function readCachedBuild(root: string, key: string): CachedBuild | undefined {
  try {
    return JSON.parse(readFileSync(path.join(entryDir(root, key), "build.json"), "utf8")) as CachedBuild;
  } catch {
    return undefined;
  }
}

/** A fresh scratch folder in the cache root for one dry run (removed by the caller). */
export function scratchFolder(root: string): string {
  const dir = path.join(root, `tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Stores wrangler's output folder and its inputs as `key`'s entry, replacing an older one. The
 * entry is assembled aside and renamed into place, so a reader never sees half of it.
 */
export function storeCachedBuild(root: string, key: string, outdir: string, build: CachedBuild): void {
  const staging = scratchFolder(root);
  try {
    cpSync(outdir, path.join(staging, "out"), { recursive: true });
    writeFileSync(path.join(staging, "build.json"), JSON.stringify(build));
    const target = entryDir(root, key);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch {
    // Another process stored the same key at the same moment: its entry serves as well.
    rmSync(staging, { recursive: true, force: true });
  }
}
