/**
 * The cache of esbuild's bundles of dosim's own workers: an entry serves while every file the
 * bundle was made from is unchanged, and an edit to any of them (not only the entry) rebundles.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cachedBundle } from "../../src/runtime/esbuild-cache.js";

const OPTIONS = { bundle: true, format: "esm", write: false, logLevel: "silent" } as const;

describe("cached bundles", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-esbuild-cache-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("follow an edit to an imported file, and its undoing", async () => {
    const entry = path.join(dir, "entry.ts");
    const imported = path.join(dir, "word.ts");
    // A unique word: a cache left by an earlier run of this test cannot answer for these files.
    const word = `first-${path.basename(dir)}`;
    writeFileSync(entry, `import { word } from "./word.js";\nexport default word;\n`);
    writeFileSync(imported, `export const word = ${JSON.stringify(word)};\n`);
    expect(await cachedBundle(entry, OPTIONS)).toContain(word);
    writeFileSync(imported, `export const word = "second";\n`);
    const edited = await cachedBundle(entry, OPTIONS);
    expect(edited).toContain("second");
    expect(edited).not.toContain(word);
    writeFileSync(imported, `export const word = ${JSON.stringify(word)};\n`);
    expect(await cachedBundle(entry, OPTIONS)).toContain(word);
  });
});
