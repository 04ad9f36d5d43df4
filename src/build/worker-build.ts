/**
 * Builds a Worker exactly as `wrangler deploy` / `wrangler versions upload` would upload it, by
 * running wrangler's own dry run, and caches the result by its inputs: the config, every source
 * file the build read, and wrangler's version.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { ModuleRule } from "miniflare";
import { entryFromMetafile, readBuildOutput, type WorkerBuild } from "./build-output.js";
import { hashInputs, hasRuleModules, type Metafile, inputsUnchanged, metafileInputs, scannedInputs, type InputScope } from "./build-inputs.js";
import { cacheKey, cacheRoot, entryDir, readCachedBuild, scratchFolder, storeCachedBuild } from "./build-cache.js";
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

/** Builds (or reuses the cached build of) a Worker. Rejects with a DryRunFailure when wrangler fails. */
export async function buildWorker(request: BuildRequest): Promise<BuildResult> {
  const scope = scopeOf(request);
  const root = cacheRoot(scope.projectDir);
  const key = cacheKey(dryRunOf(request), WRANGLER_VERSION);
  const cached = readCachedBuild(root, key);
  if (cached !== undefined && inputsUnchanged(cached.inputs, scope, cached.projectScan === true)) {
    return { build: readBuildOutput(path.join(entryDir(root, key), "out"), cached.entry, request.moduleRules), cached: true };
  }
  const scratch = scratchFolder(root);
  try {
    const outdir = path.join(scratch, "out");
    const metafilePath = path.join(scratch, "meta.json");
    await runDryRun(dryRunOf(request), outdir, metafilePath);
    if (!existsSync(metafilePath)) throw new DryRunFailure("wrangler wrote no bundle metadata (is no_bundle set?); dosim loads Workers that wrangler bundles");
    const metafile = JSON.parse(readFileSync(metafilePath, "utf8")) as Metafile;
    const entry = entryFromMetafile(metafile, scope.projectDir, outdir);
    const projectScan = hasRuleModules(metafile);
    const inputs = hashInputs([...metafileInputs(metafile, scope.projectDir), ...scannedInputs(scope, projectScan)]);
    const build = readBuildOutput(outdir, entry, request.moduleRules);
    storeCachedBuild(root, key, outdir, { entry, inputs, projectScan });
    return { build, cached: false };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
