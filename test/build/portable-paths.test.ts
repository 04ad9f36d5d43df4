/**
 * The paths a cached build records are relative to its project, so the same record reads the same
 * from any copy of it: source maps re-rooted at the project, and the node_modules folder each
 * imported package is found in.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageHomes, packageHomesUnchanged, relocateSourceMap } from "../../src/build/portable-paths.js";

describe("relocateSourceMap", () => {
  it("makes wrangler's sources (relative to its absolute sourceRoot) relative to the project", () => {
    const outdir = path.resolve("/cache/builds/tmp-1/out");
    const json = JSON.stringify({ version: 3, sourceRoot: outdir, sources: ["../../../../work/app/src/a.ts", "../../../../work/node_modules/pkg/i.js"], mappings: "AAAA" });
    const map = JSON.parse(relocateSourceMap(json, outdir, path.resolve("/work/app")));
    expect(map).toEqual({ version: 3, sources: ["src/a.ts", "../node_modules/pkg/i.js"], mappings: "AAAA" });
  });

  it("reads sources without a sourceRoot as relative to the map's folder, and keeps URLs and nulls", () => {
    const outdir = path.resolve("/work/app/out");
    const json = JSON.stringify({ version: 3, sources: ["../src/a.ts", "webpack://app/b.ts", null], mappings: "" });
    expect(JSON.parse(relocateSourceMap(json, outdir, path.resolve("/work/app"))).sources).toEqual(["src/a.ts", "webpack://app/b.ts", null]);
  });
});

describe("packageHomes", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "dosim-homes-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const dir of ["node_modules/plain/lib", "node_modules/@scope/pkg", "node_modules/plain/node_modules/inner", "app", "copy/node_modules/plain"]) mkdirSync(path.join(root, dir), { recursive: true });

  it("records where each package of an input path, scoped or nested, is found from the project", () => {
    const app = path.join(root, "app");
    const files = [path.join(root, "node_modules/plain/lib/x.js"), path.join(root, "node_modules/@scope/pkg/i.js"), path.join(root, "node_modules/plain/node_modules/inner/i.js"), path.join(app, "src/a.ts")];
    expect(packageHomes(files, app)).toEqual({ "@scope/pkg": "..", inner: null, plain: ".." });
  });

  it("holds for a sibling copy, not for one with a nearer copy of a package", () => {
    const recorded = packageHomes([path.join(root, "node_modules/plain/lib/x.js")], path.join(root, "app"));
    mkdirSync(path.join(root, "sibling"), { recursive: true });
    expect(packageHomesUnchanged(recorded, path.join(root, "sibling"))).toBe(true);
    expect(packageHomesUnchanged(recorded, path.join(root, "copy"))).toBe(false);
  });
});
