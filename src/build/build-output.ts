/**
 * Reads what a wrangler dry run wrote into its output folder as the modules Miniflare loads: the
 * entry (the bundle esbuild produced), then every additional module wrangler copied beside it
 * (module-rule imports such as `.html`, `.wasm`, `.txt`, `.bin`, and `find_additional_modules`),
 * each typed by the Worker's module rules as wrangler and Miniflare type them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ModuleRule } from "miniflare";
import { loadMiniflare } from "./cjs-packages.js";
import type { BundleSourceMap } from "./source-position.js";

/** A module type workerd accepts. */
export type BuiltModuleType = ModuleRule["type"];

/** One module of a build, its path relative to the output folder. */
export interface BuiltModule {
  readonly path: string;
  readonly type: BuiltModuleType;
  readonly contents: Uint8Array;
}

/** What a Worker's build produced: its entry module first, then the others. */
export interface WorkerBuild {
  /** The entry module's path (the bundle of `main`). */
  readonly entry: string;
  readonly modules: readonly BuiltModule[];
  /** The entry's source map, when wrangler wrote one (it maps start-up failures to the source). */
  readonly sourceMap?: BundleSourceMap;
}

/** JavaScript modules found beside the bundle (additional modules), typed as Miniflare does by default. */
const SCRIPT_RULES: ModuleRule[] = [
  { type: "ESModule", include: ["**/*.mjs", "**/*.js"] },
  { type: "CommonJS", include: ["**/*.cjs"] },
];

function filesUnder(root: string, relative = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const name = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...filesUnder(root, name));
    else if (entry.isFile()) files.push(name);
  }
  return files.sort();
}

/** The entry module wrangler wrote, from esbuild's metafile (the output with an entry point). */
export function entryFromMetafile(metafile: { outputs?: Record<string, { entryPoint?: string }> }, cwd: string, outdir: string): string {
  for (const [output, info] of Object.entries(metafile.outputs ?? {})) {
    if (info.entryPoint !== undefined && !output.endsWith(".map")) return path.relative(outdir, path.resolve(cwd, output)).split(path.sep).join("/");
  }
  throw new Error("wrangler's metafile names no entry module");
}

/**
 * The modules in `outdir`: `entry` first as an ES module, then every file a module rule types
 * (source maps, wrangler's README and the metafile match none and are left out). The entry's
 * source map, if any, has its sources relative to `sourcesDir` (see relocateSourceMap).
 */
export function readBuildOutput(outdir: string, entry: string, moduleRules: readonly ModuleRule[], sourcesDir: string, ignore: readonly string[] = []): WorkerBuild {
  const { compileModuleRules, testRegExps } = loadMiniflare();
  const rules = compileModuleRules([...moduleRules, ...SCRIPT_RULES]);
  const modules: BuiltModule[] = [{ path: entry, type: "ESModule", contents: readFileSync(path.join(outdir, entry)) }];
  for (const file of filesUnder(outdir)) {
    if (file === entry || ignore.includes(file) || file.endsWith(".map")) continue;
    const rule = rules.find((candidate) => testRegExps(candidate.include, file));
    if (rule === undefined) continue;
    modules.push({ path: file, type: rule.type, contents: readFileSync(path.join(outdir, file)) });
  }
  const mapFile = path.join(outdir, `${entry}.map`);
  const sourceMap = existsSync(mapFile) ? { json: readFileSync(mapFile, "utf8"), dir: sourcesDir } : undefined;
  return { entry, modules, ...(sourceMap !== undefined && { sourceMap }) };
}
