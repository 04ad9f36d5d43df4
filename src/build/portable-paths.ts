/**
 * Paths of a build told relative to its project folder (the wrangler config's folder), so that
 * a cached build serves a copy of the same project in another folder: a checkout at another path
 * in CI, a project copied or moved. wrangler runs with the project as its working directory, and
 * what it writes depends on the project's location only through paths relative to it (esbuild's
 * `// path` comments, its metafile) and through the output folder (the source map's `sourceRoot`
 * and `sources`), which {@link relocateSourceMap} rewrites to be relative to the project too.
 */
import { existsSync } from "node:fs";
import path from "node:path";

/** `file` relative to `projectDir`, with `/` separators (`../x` for a file outside it). */
export function projectRelative(file: string, projectDir: string): string {
  return path.relative(projectDir, file).split(path.sep).join("/");
}

/** The absolute path of a project-relative path in `projectDir`. */
export function inProject(relative: string, projectDir: string): string {
  return path.resolve(projectDir, relative);
}

/** The names of the packages an absolute file is read from: one after each `node_modules/` in its path. */
function packageNamesOf(file: string): string[] {
  const parts = file.split(path.sep);
  const names: string[] = [];
  parts.forEach((part, at) => {
    const first = parts[at + 1];
    if (part !== "node_modules" || first === undefined || first.startsWith(".")) return;
    const second = parts[at + 2];
    names.push(first.startsWith("@") && second !== undefined ? `${first}/${second}` : first);
  });
  return names;
}

/**
 * The folder holding the `node_modules/<name>` that a bare import of `name` from the project
 * finds first (Node's and esbuild's walk up the folders), relative to the project; null when none.
 */
export function packageHome(name: string, projectDir: string): string | null {
  let dir = path.resolve(projectDir);
  for (;;) {
    if (existsSync(path.join(dir, "node_modules", name))) return projectRelative(dir, projectDir);
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Package name → {@link packageHome}, for every package an input was read from. */
export type PackageHomes = Record<string, string | null>;

/**
 * Where each package the build read from is found from the project. A copy of the project in
 * another folder reuses the build only where every one is found at the same relative place, so
 * a copy that has its own, different version of a package (a nearer `node_modules`) rebuilds.
 */
export function packageHomes(files: readonly string[], projectDir: string): PackageHomes {
  const names = [...new Set(files.flatMap(packageNamesOf))].sort();
  return Object.fromEntries(names.map((name) => [name, packageHome(name, projectDir)]));
}

/** True when every package is found where it was found from the project the build was made in. */
export function packageHomesUnchanged(recorded: PackageHomes, projectDir: string): boolean {
  return Object.entries(recorded).every(([name, home]) => packageHome(name, projectDir) === home);
}

interface SourceMapJson {
  sources?: Array<string | null>;
  sourceRoot?: string;
  [field: string]: unknown;
}

/**
 * A source map written into `outdir` (wrangler sets `sourceRoot` to that absolute folder, and
 * `sources` relative to it) with its `sources` relative to the project instead and no
 * `sourceRoot`: read with the project folder as its base, it points into whichever copy of the
 * project the build serves.
 */
export function relocateSourceMap(json: string, outdir: string, projectDir: string): string {
  const map = JSON.parse(json) as SourceMapJson;
  const root = path.resolve(outdir, map.sourceRoot ?? "");
  const sources = (map.sources ?? []).map((source) => (source === null || /^[a-z][a-z0-9+.-]+:/i.test(source) ? source : projectRelative(path.resolve(root, source), projectDir)));
  const { sourceRoot: _dropped, ...rest } = map;
  return JSON.stringify({ ...rest, sources });
}
