/**
 * The code that runs inside workerd. dosim's own workers (`*.worker.ts`) are bundled with esbuild
 * once per process, or read from the cache when their sources did not change (esbuild-cache.ts).
 * A user's version is built by wrangler itself (src/build: the exact modules `wrangler deploy`
 * would upload) and loaded behind a generated entry module that imports the built entry, wraps its
 * default export and each Durable Object class, and re-exports the rest.
 */
import type { BuildOptions } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../model/input-error.js";
import { cachedBundle } from "./esbuild-cache.js";
import { DryRunFailure } from "../build/run-wrangler.js";
import { buildWorker, ensureWorkerBuilds, type BuildRequest } from "../build/worker-build.js";
import type { BuiltModuleType, WorkerBuild } from "../build/build-output.js";
import type { BundleSourceMap } from "../build/source-position.js";
import type { WorkerSource } from "./config.js";

/** Where dosim's in-workerd sources live (they are bundled from source, not from dist/). */
const WORKERS_DIR = fileURLToPath(new URL("../../src/runtime/workers/", import.meta.url));

/** The module names dosim adds beside a version's own modules. */
export const VERSION_ENTRY_MODULE = "dosim-version-entry.mjs";
export const VERSION_RUNTIME_MODULE = "dosim-version-runtime.mjs";

const COMMON: BuildOptions = {
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  target: "es2022",
  external: ["cloudflare:*", "node:*"],
  write: false,
  logLevel: "silent",
  legalComments: "none",
};

/** Bundles one of dosim's workers; esbuild is loaded only when its sources changed since the cached bundle. */
function bundleFile(entry: string): Promise<string> {
  return cachedBundle(entry, COMMON);
}

/** dosim's own worker modules. */
export interface InternalBundles {
  readonly edge: string;
  readonly control: string;
  readonly router: string;
  readonly bridge: string;
}

let internal: Promise<InternalBundles> | undefined;

/** Bundles the edge, control, router and bridge workers (once per process). */
export function bundleInternalWorkers(): Promise<InternalBundles> {
  internal ??= Promise.all([
    bundleFile(path.join(WORKERS_DIR, "edge.worker.ts")),
    bundleFile(path.join(WORKERS_DIR, "control.worker.ts")),
    bundleFile(path.join(WORKERS_DIR, "do-router.worker.ts")),
    bundleFile(path.join(WORKERS_DIR, "bridge.worker.ts")),
  ]).then(([edge, control, router, bridge]) => ({ edge, control, router, bridge }));
  return internal;
}

let versionRuntime: Promise<string> | undefined;

/** dosim's in-version runtime (the wrappers and the control entrypoint), bundled once per process. */
function bundleVersionRuntime(): Promise<string> {
  versionRuntime ??= bundleFile(path.join(WORKERS_DIR, "version-runtime.worker.ts"));
  return versionRuntime;
}

let slotRuntime: Promise<string> | undefined;

/** dosim's spare-slot runtime (the version runtime plus late loading), bundled once per process. */
export function bundleSlotRuntime(): Promise<string> {
  slotRuntime ??= bundleFile(path.join(WORKERS_DIR, "slot-runtime.worker.ts"));
  return slotRuntime;
}

/** One module of a version, as Miniflare loads it. */
export interface VersionModule {
  readonly path: string;
  readonly type: BuiltModuleType;
  readonly contents: string | Uint8Array;
}

/** A version's code: dosim's entry module first, then dosim's runtime and every module wrangler built. */
export interface VersionBundle {
  readonly modules: readonly VersionModule[];
  /**
   * The source map of the user's entry module (`module` is its path), kept in memory only: it
   * turns a start-up failure's bundle position into a source position, and a manifest does not
   * need it.
   */
  readonly sourceMap?: BundleSourceMap & { readonly module: string };
}

/** The generated entry of a version: the user's built entry module `userEntry`, wrapped. */
export function versionEntrySource(source: WorkerSource, userEntry: string): string {
  const user = JSON.stringify(`./${userEntry}`);
  const runtime = JSON.stringify(`./${VERSION_RUNTIME_MODULE}`);
  const lines = [
    `import * as user from ${user};`,
    `import { wrapDefaultExport, wrapDurableObjectClass } from ${runtime};`,
    `export * from ${user};`,
    `export { DosimVersionControl } from ${runtime};`,
    `export default wrapDefaultExport(user.default);`,
  ];
  const classes = new Set(source.durableObjects.map((binding) => binding.className));
  for (const className of classes) {
    lines.push(`export const ${className} = wrapDurableObjectClass(user[${JSON.stringify(className)}], ${JSON.stringify(className)});`);
  }
  return lines.join("\n");
}

/** Module types whose contents are text (kept as strings, so stored bundles stay readable). */
const TEXT_TYPES = new Set<BuiltModuleType>(["ESModule", "CommonJS", "Text"]);

/** Where a version's code is described, for messages. */
function shownConfig(source: WorkerSource): string {
  return path.relative(process.cwd(), source.configPath) || source.configPath;
}

/** The build of a user's version: its config and entry, as wrangler's dry run takes them. */
function buildRequestOf(source: WorkerSource): BuildRequest {
  return {
    configPath: source.configPath,
    script: source.main,
    ...(source.env !== undefined && { env: source.env }),
    ...(source.compatibilityDateDefaulted === true && { compatibilityDate: source.compatibilityDate }),
    moduleRules: source.moduleRules ?? [],
    findAdditionalModules: source.findAdditionalModules ?? false,
    watchDirs: source.buildWatchDirs ?? [],
  };
}

/** Runs `task`, turning wrangler's failure into an input error naming the config, the entry and wrangler's first error. */
async function asInputError<T>(source: WorkerSource, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (!(error instanceof DryRunFailure)) throw error;
    const entry = path.relative(process.cwd(), source.main) || source.main;
    throw new InputError("build-failed", `${shownConfig(source)} (${entry}): build failed: ${error.message}`);
  }
}

/**
 * Builds a user's version with wrangler (cached by its inputs). A failed build is an input error
 * naming the config, the entry and wrangler's first error.
 */
export async function buildUserCode(source: WorkerSource): Promise<WorkerBuild> {
  return asInputError(source, async () => (await buildWorker(buildRequestOf(source))).build);
}

/** Fails as {@link buildUserCode} does when the version does not build, without reading its modules. */
export async function checkUserCodeBuilds(source: WorkerSource): Promise<void> {
  await asInputError(source, () => ensureWorkerBuilds(buildRequestOf(source)));
}

/** A version's modules: dosim's entry and runtime in front of the user's code as wrangler built it. */
export async function bundleVersion(source: WorkerSource): Promise<VersionBundle> {
  const [built, runtime] = await Promise.all([buildUserCode(source), bundleVersionRuntime()]);
  return {
    modules: [
      { path: VERSION_ENTRY_MODULE, type: "ESModule", contents: versionEntrySource(source, built.entry) },
      { path: VERSION_RUNTIME_MODULE, type: "ESModule", contents: runtime },
      ...built.modules.map((module) => ({ ...module, contents: TEXT_TYPES.has(module.type) ? Buffer.from(module.contents).toString("utf8") : module.contents })),
    ],
    ...(built.sourceMap !== undefined && { sourceMap: { ...built.sourceMap, module: built.entry } }),
  };
}

/** A bundle as one string (binary modules in base64), as the manifest stores it. */
export function serializeBundle(bundle: VersionBundle): string {
  return JSON.stringify({
    modules: bundle.modules.map((module) =>
      typeof module.contents === "string"
        ? { path: module.path, type: module.type, text: module.contents }
        : { path: module.path, type: module.type, base64: Buffer.from(module.contents).toString("base64") },
    ),
  });
}

/** Reads back {@link serializeBundle}'s string (or an older manifest's single bundled module). */
export function parseBundle(stored: string): VersionBundle {
  if (!stored.startsWith('{"modules":')) return { modules: [{ path: "version.mjs", type: "ESModule", contents: stored }] };
  const parsed = JSON.parse(stored) as { modules: Array<{ path: string; type: BuiltModuleType; text?: string; base64?: string }> };
  return {
    modules: parsed.modules.map((module) => ({
      path: module.path,
      type: module.type,
      contents: module.text ?? new Uint8Array(Buffer.from(module.base64 ?? "", "base64")),
    })),
  };
}
