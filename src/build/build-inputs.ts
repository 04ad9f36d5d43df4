/**
 * The files a build depends on, and their content hashes: every source esbuild read (its
 * metafile), every file under the project folder that a module rule could pick up (imported
 * `.html`/`.wasm`/… files and `find_additional_modules`, which esbuild's metafile does not list),
 * the project's package.json and tsconfig.json, and for a `[build]` command everything under its
 * `watch_dir` (the files wrangler itself rebuilds on).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ModuleRule } from "miniflare";
import { loadMiniflare } from "./cjs-packages.js";
import { inProject, projectRelative } from "./portable-paths.js";

/** What decides which files a build depends on. */
export interface InputScope {
  /** The folder of the wrangler config (paths in esbuild's metafile are relative to it). */
  readonly projectDir: string;
  readonly moduleRules: readonly ModuleRule[];
  /** Whether `find_additional_modules` adds every script under the project as a module. */
  readonly findAdditionalModules: boolean;
  /** Absolute `watch_dir`s of a `[build]` command; empty without one. */
  readonly watchDirs: readonly string[];
}

/**
 * Path relative to the project folder → SHA-256 of its contents, or null when the file is missing.
 * Relative, so that a copy of the project in another folder with the same files reuses the build.
 */
export type InputHashes = Record<string, string | null>;

const SKIPPED_DIRS = new Set(["node_modules"]);
const SCRIPT_GLOBS = ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.ts", "**/*.mts", "**/*.cts", "**/*.jsx", "**/*.tsx"];

/** Every file under `dir` (no node_modules, no dot-folders), with `keep` deciding by relative path. */
function walk(dir: string, keep: (relative: string) => boolean, root = dir, found: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !SKIPPED_DIRS.has(entry.name)) walk(absolute, keep, root, found);
    } else if (entry.isFile() && keep(path.relative(root, absolute).split(path.sep).join("/"))) {
      found.push(absolute);
    }
  }
  return found;
}

/**
 * The files a rule or a build command could read, besides the ones esbuild reports. The project
 * folder is searched only when the build has modules esbuild does not list (`projectScan`): a
 * module-rule import or `find_additional_modules`.
 */
export function scannedInputs(scope: InputScope, projectScan: boolean): string[] {
  const files: string[] = [];
  if (projectScan || scope.findAdditionalModules) {
    const rules = [...scope.moduleRules, ...(scope.findAdditionalModules ? [{ type: "ESModule" as const, include: SCRIPT_GLOBS }] : [])];
    const { compileModuleRules, testRegExps } = loadMiniflare();
    const matchers = compileModuleRules(rules.map((rule) => ({ ...rule, fallthrough: true })));
    files.push(...walk(scope.projectDir, (relative) => matchers.some((matcher) => testRegExps(matcher.include, relative))));
  }
  for (const watched of scope.watchDirs) files.push(...walk(watched, () => true));
  files.push(path.join(scope.projectDir, "package.json"), path.join(scope.projectDir, "tsconfig.json"));
  return files;
}

/** The parts of esbuild's metafile dosim reads. */
export interface Metafile {
  readonly inputs?: Record<string, { readonly imports?: ReadonlyArray<{ readonly path: string; readonly external?: boolean }> }>;
  readonly outputs?: Record<string, { readonly entryPoint?: string }>;
}

/**
 * Whether the build has modules wrangler's module rules made of imported files: wrangler marks
 * such an import external and rewrites it to `./<hash>-<file name>`.
 */
export function hasRuleModules(metafile: Metafile): boolean {
  return Object.values(metafile.inputs ?? {}).some((input) => (input.imports ?? []).some((imported) => imported.external === true && imported.path.startsWith("./")));
}

/** The sources esbuild read, from its metafile (paths relative to the project folder). */
export function metafileInputs(metafile: Metafile, projectDir: string): string[] {
  return Object.keys(metafile.inputs ?? {})
    .filter((input) => !input.startsWith("<") && !/^[a-z-]+:/i.test(input))
    .map((input) => path.resolve(projectDir, input));
}

/** The SHA-256 of a file, or null when it cannot be read. */
export function hashFile(file: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return null;
  }
}

/** Hashes every file of `files` (duplicates once), by path relative to `projectDir`. */
export function hashInputs(files: readonly string[], projectDir: string): InputHashes {
  const hashes: InputHashes = {};
  for (const file of [...new Set(files)].sort()) hashes[projectRelative(file, projectDir)] = hashFile(file);
  return hashes;
}

/** {@link hashFile} that hashes each file once: one lookup checks several cached builds. */
export function memoizedHashFile(): (file: string) => string | null {
  const hashes = new Map<string, string | null>();
  return (file) => {
    if (!hashes.has(file)) hashes.set(file, hashFile(file));
    return hashes.get(file)!;
  };
}

/**
 * True when every recorded file, found from the project folder of `scope`, has the recorded
 * contents (and the scan finds no file the build did not see).
 */
export function inputsUnchanged(recorded: InputHashes, scope: InputScope, projectScan: boolean, hash: (file: string) => string | null = hashFile): boolean {
  for (const file of scannedInputs(scope, projectScan)) if (!(projectRelative(file, scope.projectDir) in recorded)) return false;
  return Object.entries(recorded).every(([file, recordedHash]) => hash(inProject(file, scope.projectDir)) === recordedHash);
}
