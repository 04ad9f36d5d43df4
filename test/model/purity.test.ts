/**
 * The model is pure: nothing under src/model may import Node built-ins or the host-side packages
 * (miniflare, wrangler, yaml, esbuild), and the whole model bundles for workerd's neutral platform.
 */
import { build } from "esbuild";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const modelRoot = join(repoRoot, "src/model");

/** Every .ts file under `dir`, recursively, sorted. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every module specifier a file imports, re-exports, imports dynamically or requires. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

const HOST_PACKAGES = ["fs", "path", "crypto", "miniflare", "wrangler", "yaml", "esbuild", ...builtinModules];

/** True when `specifier` names a Node built-in or a host-only package (or a subpath of one). */
function isForbidden(specifier: string): boolean {
  return specifier.startsWith("node:") || HOST_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

const files = tsFiles(modelRoot);

describe("src/model is pure", () => {
  it("finds the model files, including those in subfolders", () => {
    const names = files.map((file) => relative(modelRoot, file));
    expect(names).toEqual(expect.arrayContaining(["versions.ts", "ledger.ts", "analysis/reorder.ts", "checkers/guarantees.ts"]));
  });

  it("the scanner sees every kind of import, and tells forbidden ones apart", () => {
    const sample = [
      'import { a } from "node:fs";',
      "import {\n  b,\n  c,\n} from 'path';",
      'export * from "yaml";',
      'import "miniflare";',
      'const m = await import("wrangler/config");',
      'const r = require("crypto");',
      'import type { X } from "esbuild";',
      'import { ok } from "./errors.js";',
      'import alea from "seedrandom/lib/alea.js";',
      "// import fs from 'fs' in a comment is not an import",
    ].join("\n");
    const found = importsOf(sample);
    expect(found).toEqual(["node:fs", "path", "yaml", "miniflare", "wrangler/config", "crypto", "esbuild", "./errors.js", "seedrandom/lib/alea.js"]);
    expect(found.filter(isForbidden)).toEqual(["node:fs", "path", "yaml", "miniflare", "wrangler/config", "crypto", "esbuild"]);
    expect(["./path.js", "@noble/hashes/hmac.js", "structured-headers", "fs-extra-ish"].filter(isForbidden)).toEqual([]);
  });

  it("no model file imports node:, fs, path, crypto, miniflare, wrangler, yaml or esbuild", () => {
    const offenders = files.flatMap((file) =>
      importsOf(readFileSync(file, "utf8"))
        .filter(isForbidden)
        .map((specifier) => `${relative(repoRoot, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it("bundles for workerd: every model file as an entry, platform neutral, ESM", async () => {
    const result = await build({
      absWorkingDir: repoRoot,
      entryPoints: files,
      bundle: true,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      write: false,
      outdir: "out",
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles).toHaveLength(files.length);
    for (const output of result.outputFiles) {
      expect(importsOf(output.text).filter(isForbidden)).toEqual([]);
      expect(output.text).not.toMatch(/\brequire\s*\(/);
    }
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.filter((input) => /node_modules\/(miniflare|wrangler|yaml|esbuild)\//.test(input))).toEqual([]);
  });
});
