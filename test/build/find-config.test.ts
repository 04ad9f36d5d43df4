/**
 * Config discovery follows wrangler's findWranglerConfig (workers-sdk,
 * packages/workers-utils config-helpers): wrangler.json, then wrangler.jsonc, then wrangler.toml,
 * each searched from the folder up to the root before the next name is tried.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findWranglerConfig, resolveWranglerConfig } from "../../src/build/find-config.js";
import { InputError } from "../../src/cli/exit-codes.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tree(files: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "dosim-config-"));
  folders.push(root);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), "{}");
  }
  return root;
}

describe("findWranglerConfig", () => {
  it("prefers wrangler.json over wrangler.jsonc over wrangler.toml in one folder", () => {
    const root = tree(["w/wrangler.toml", "w/wrangler.jsonc", "w/wrangler.json"]);
    expect(findWranglerConfig(path.join(root, "w"))).toBe(path.join(root, "w/wrangler.json"));
  });
  it("finds a wrangler.json above before a wrangler.toml here, as wrangler does", () => {
    const root = tree(["wrangler.json", "w/wrangler.toml"]);
    expect(findWranglerConfig(path.join(root, "w"))).toBe(path.join(root, "wrangler.json"));
  });
  it("is an input error when nothing is found and a missing --config is named", () => {
    const root = tree([]);
    expect(findWranglerConfig(root)?.startsWith(root) ?? false).toBe(false);
    expect(() => resolveWranglerConfig("nope.toml", root)).toThrow(InputError);
  });
});
