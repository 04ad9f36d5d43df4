/**
 * dosim's build of each fixture Worker is byte for byte what wrangler's own dry run writes
 * (`wrangler deploy --dry-run --outdir`): the same entry module and the same additional modules.
 * dosim adds only its two modules in front (the generated entry and its runtime).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { bundleVersion, VERSION_ENTRY_MODULE, VERSION_RUNTIME_MODULE } from "../../src/runtime/bundle.js";
import { readWorkerSource } from "../../src/runtime/config.js";
import { findWranglerConfig } from "../../src/build/find-config.js";

const FIXTURES = path.resolve("test/fixtures/workers");
const WRANGLER = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
const scratch = mkdtempSync(path.join(os.tmpdir(), "dosim-parity-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = promisify(execFile);

/**
 * What wrangler's own dry run writes for a config: module path → bytes (source maps and its README
 * left out). Run asynchronously: a synchronous spawn would hold the test worker's event loop for
 * the whole build, and vitest's RPC with it.
 */
async function wranglerDryRun(configPath: string, compatibilityDate: string | undefined): Promise<Map<string, Buffer>> {
  const outdir = mkdtempSync(path.join(scratch, "out-"));
  const args = [WRANGLER, "deploy", "--dry-run", "--outdir", outdir, "--config", configPath, ...(compatibilityDate !== undefined ? ["--compatibility-date", compatibilityDate] : [])];
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" };
  await run(process.execPath, args, { cwd: path.dirname(configPath), env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { code?: number; stderr?: string }) => {
    throw new Error(`wrangler deploy --dry-run exited ${error.code}:\n${error.stderr}`);
  });
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(outdir, { recursive: true }) as string[]) {
    if (name === "README.md" || name.endsWith(".map")) continue;
    files.set(name.split(path.sep).join("/"), readFileSync(path.join(outdir, name)));
  }
  return files;
}

describe("dosim builds each fixture as wrangler deploy would upload it", () => {
  it.each(readdirSync(FIXTURES).sort())("%s", async (worker) => {
    const source = readWorkerSource(findWranglerConfig(path.join(FIXTURES, worker))!);
    const expected = await wranglerDryRun(source.configPath, source.compatibilityDateDefaulted === true ? source.compatibilityDate : undefined);
    const bundle = await bundleVersion(source);
    const [entry, runtime, ...own] = bundle.modules;
    expect([entry!.path, runtime!.path]).toEqual([VERSION_ENTRY_MODULE, VERSION_RUNTIME_MODULE]);
    const built = new Map(own.map((module) => [module.path, Buffer.from(module.contents)]));
    expect([...built.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, bytes] of expected) expect(built.get(name)!.equals(bytes), name).toBe(true);
  });
});
