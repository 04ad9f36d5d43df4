/**
 * Builds a Worker exactly as `wrangler deploy` / `wrangler versions upload` would upload it, by
 * running wrangler's own dry run, and caches the result by its inputs: the config, every source
 * file the build read, and wrangler's version. The cache is told paths relative to the project, so
 * a copy of the project in another folder reuses the build (see portable-paths).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ModuleRule } from "miniflare";
import { entryFromMetafile, readBuildOutput, type WorkerBuild } from "./build-output.js";
import { hashInputs, hasRuleModules, type Metafile, inputsUnchanged, memoizedHashFile, metafileInputs, scannedInputs, type InputScope } from "./build-inputs.js";
import { cacheKey, cacheRoot, readCachedBuilds, scratchFolder, storeCachedBuild, touchEntry, type CacheEntry } from "./build-cache.js";
import { packageHomes, packageHomesUnchanged, relocateSourceMap } from "./portable-paths.js";
import { DryRunFailure, runDryRun, WRANGLER_VERSION, type DryRunRequest } from "./run-wrangler.js";

/** One build: the dry run's request and what decides its inputs and module types. */
export interface BuildRequest extends DryRunRequest {
  readonly moduleRules: readonly ModuleRule[];
  readonly findAdditionalModules: boolean;
  /** Absolute `watch_dir`s of a `[build]` command; empty without one. */
  readonly watchDirs: readonly string[];
}

/** Whether a build came from the cache (for measurements). */
export interface BuildResult {
  readonly build: WorkerBuild;
  readonly cached: boolean;
}

function scopeOf(request: BuildRequest): InputScope {
  return {
    projectDir: path.dirname(request.configPath),
    moduleRules: request.moduleRules,
    findAdditionalModules: request.findAdditionalModules,
    watchDirs: request.watchDirs,
  };
}

function dryRunOf(request: BuildRequest): DryRunRequest {
  const { configPath, script, env, compatibilityDate } = request;
  return { configPath, ...(script !== undefined && { script }), ...(env !== undefined && { env }), ...(compatibilityDate !== undefined && { compatibilityDate }) };
}

/** The first entry whose inputs are all unchanged, seen from the project of `scope`. */
function usableEntry(entries: readonly CacheEntry[], scope: InputScope): CacheEntry | undefined {
  const hash = memoizedHashFile();
  return entries.find(({ build }) => packageHomesUnchanged(build.packages, scope.projectDir) && inputsUnchanged(build.inputs, scope, build.projectScan, hash));
}

/** Rewrites the entry's source map in `outdir` so that its sources are relative to the project. */
function relocateEntryMap(outdir: string, entry: string, projectDir: string): void {
  const mapFile = path.join(outdir, `${entry}.map`);
  if (existsSync(mapFile)) writeFileSync(mapFile, relocateSourceMap(readFileSync(mapFile, "utf8"), outdir, projectDir));
}

/** Where the builds of a request are cached: its project's cache and the key of its inputs. */
interface CacheSpot {
  readonly scope: InputScope;
  readonly root: string;
  readonly key: string;
}

/** Where the builds of `request` are cached: its project's cache and the key of its inputs. */
function cacheSpot(request: BuildRequest): CacheSpot {
  const scope = scopeOf(request);
  return { scope, root: cacheRoot(scope.projectDir), key: cacheKey(dryRunOf(request), WRANGLER_VERSION, scope.watchDirs.length === 0) };
}

/** The cache entry that serves `request`, if one does (touched, so that it is kept). */
function cachedEntry({ scope, root, key }: CacheSpot): CacheEntry | undefined {
  const hit = usableEntry(readCachedBuilds(root, key), scope);
  if (hit !== undefined) touchEntry(hit);
  return hit;
}

/**
 * Runs wrangler's dry run for `request`, stores the build in the cache, and returns what `read`
 * makes of the output folder (given the folder and the entry module) before the folder is removed.
 */
async function buildIntoCache<T>(request: BuildRequest, { scope, root, key }: CacheSpot, read: (outdir: string, entry: string) => T): Promise<T> {
  const scratch = scratchFolder(root);
  try {
    const outdir = path.join(scratch, "out");
    const metafilePath = path.join(scratch, "meta.json");
    await runDryRun(dryRunOf(request), outdir, metafilePath);
    if (!existsSync(metafilePath)) throw new DryRunFailure("wrangler wrote no bundle metadata (is no_bundle set?); dosim loads Workers that wrangler bundles");
    const metafile = JSON.parse(readFileSync(metafilePath, "utf8")) as Metafile;
    const entry = entryFromMetafile(metafile, scope.projectDir, outdir);
    const projectScan = hasRuleModules(metafile);
    const files = [...metafileInputs(metafile, scope.projectDir), ...scannedInputs(scope, projectScan)];
    relocateEntryMap(outdir, entry, scope.projectDir);
    const value = read(outdir, entry);
    storeCachedBuild(root, key, outdir, { entry, inputs: hashInputs(files, scope.projectDir), projectScan, packages: packageHomes(files, scope.projectDir) });
    return value;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The builds this process is running, by cache folder and key, each settling to its error (or
 * undefined): a second request for a build already running waits for it and then reads the cache,
 * instead of running wrangler again (two scenarios of one Worker replayed at once build it once).
 */
const running = new Map<string, Promise<unknown>>();

function spotId({ root, key }: CacheSpot): string {
  return `${root}\0${key}`;
}

/** Runs {@link buildIntoCache}, recorded as running until it settles. */
function trackedBuild<T>(request: BuildRequest, spot: CacheSpot, read: (outdir: string, entry: string) => T): Promise<T> {
  const build = buildIntoCache(request, spot, read);
  const id = spotId(spot);
  const settled = build.then(
    () => undefined,
    (error: unknown) => error,
  );
  running.set(id, settled);
  void settled.then(() => running.delete(id));
  return build;
}

/**
 * The cache entry that serves `request`, or what `read` makes of a new build of it. A build this
 * process is already running for the same key is waited for first, and its error is thrown (the
 * same inputs fail the same way); the cache is then checked and a new build recorded with no
 * await in between, as resuming from an await lets another request start a build.
 */
async function cachedOrBuilt<T>(request: BuildRequest, read: (outdir: string, entry: string) => T): Promise<{ readonly hit: CacheEntry } | { readonly built: T }> {
  const spot = cacheSpot(request);
  for (let settled = running.get(spotId(spot)); settled !== undefined; settled = running.get(spotId(spot))) {
    const error = await settled;
    if (error !== undefined) throw error;
  }
  const hit = cachedEntry(spot);
  return hit !== undefined ? { hit } : { built: await trackedBuild(request, spot, read) };
}

/**
 * Makes sure the Worker builds, without reading what the build produced (its modules are typed by
 * Miniflare's module rules, and loading Miniflare costs more than the rest of a cached check): a
 * cached build answers at once, anything else is built and cached. Rejects with a DryRunFailure
 * when wrangler fails.
 */
export async function ensureWorkerBuilds(request: BuildRequest): Promise<void> {
  await cachedOrBuilt(request, () => undefined);
}

/** Builds (or reuses the cached build of) a Worker. Rejects with a DryRunFailure when wrangler fails. */
export async function buildWorker(request: BuildRequest): Promise<BuildResult> {
  const projectDir = scopeOf(request).projectDir;
  const found = await cachedOrBuilt(request, (outdir, entry) => readBuildOutput(outdir, entry, request.moduleRules, projectDir));
  if ("built" in found) return { build: found.built, cached: false };
  return { build: readBuildOutput(path.join(found.hit.dir, "out"), found.hit.build.entry, request.moduleRules, projectDir), cached: true };
}
