/**
 * dosim's build of a fixture Worker is byte for byte what wrangler's own dry run writes through its
 * launcher (`wrangler deploy --dry-run --outdir`): the same entry module and the same additional
 * modules. dosim adds only its two modules in front (the generated entry and its runtime). The
 * fixtures are also built one after another in one wrangler host, as dosim runs its builds, so
 * that state a build leaves in the host would show in the next one.
 *
 * Each kind of build the fixtures hold (config format, entry language, module rules, a `[build]`
 * command, a defaulted date, each compatibility flag) is compared on one fixture that has it:
 * fixtures of the same kinds build alike, and each comparison costs two wrangler runs (the
 * launcher's, which starts a second Node process, and dosim's when its cache is cold). A fixture
 * that brings a new kind is compared without a change here.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleVersion, VERSION_ENTRY_MODULE, VERSION_RUNTIME_MODULE } from "../../src/runtime/bundle.js";
import { readWorkerSource, type WorkerSource } from "../../src/runtime/config.js";
import { findWranglerConfig } from "../../src/build/find-config.js";
import { runDryRun, wranglerHost } from "../../src/build/run-wrangler.js";
import { makeProjectDir } from "../helpers/project-dir.js";

const FIXTURES = path.resolve("test/fixtures/workers");
const WRANGLER = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
const scratch = makeProjectDir("parity-");
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
  return outputFiles(outdir);
}

/** dosim's own dry run of a config (in its wrangler host), outside its build cache. */
async function hostDryRun(configPath: string, compatibilityDate: string | undefined): Promise<Map<string, Buffer>> {
  const outdir = path.join(mkdtempSync(path.join(scratch, "host-")), "out");
  await runDryRun({ configPath, ...(compatibilityDate !== undefined && { compatibilityDate }) }, outdir, `${outdir}.meta.json`);
  return outputFiles(outdir);
}

/** The modules of a dry run's output folder: path → bytes (source maps and wrangler's README left out). */
function outputFiles(outdir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(outdir, { recursive: true }) as string[]) {
    if (name === "README.md" || name.endsWith(".map")) continue;
    files.set(name.split(path.sep).join("/"), readFileSync(path.join(outdir, name)));
  }
  return files;
}

/** The kinds of build a Worker's config asks wrangler for. */
function buildKinds(source: WorkerSource): string[] {
  return [
    `config ${path.extname(source.configPath)}`,
    `entry ${path.extname(source.main)}`,
    ...((source.moduleRules ?? []).length > 0 ? ["module rules"] : []),
    ...(source.findAdditionalModules === true ? ["additional modules"] : []),
    ...((source.buildWatchDirs ?? []).length > 0 ? ["build command"] : []),
    ...(source.compatibilityDateDefaulted === true ? ["defaulted date"] : []),
    ...source.compatibilityFlags.map((flag) => `flag ${flag}`),
  ];
}

const sources = new Map(readdirSync(FIXTURES).sort().map((worker) => [worker, readWorkerSource(findWranglerConfig(path.join(FIXTURES, worker))!)]));

/**
 * Fixtures that together hold every kind of build of all of them: the one that adds the most kinds
 * not yet held first (the first by name on a tie), until none is left.
 */
function coveringFixtures(): string[] {
  const uncovered = new Set([...sources.values()].flatMap(buildKinds));
  const chosen: string[] = [];
  while (uncovered.size > 0) {
    const gain = (worker: string) => buildKinds(sources.get(worker)!).filter((kind) => uncovered.has(kind)).length;
    const best = [...sources.keys()].reduce((a, b) => (gain(b) > gain(a) ? b : a));
    chosen.push(best);
    for (const kind of buildKinds(sources.get(best)!)) uncovered.delete(kind);
  }
  return chosen.sort();
}

const COMPARED = coveringFixtures();

/** Expects `built` to hold exactly the modules of `expected`, byte for byte. */
function expectSameModules(built: ReadonlyMap<string, Buffer>, expected: ReadonlyMap<string, Buffer>): void {
  expect([...built.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, bytes] of expected) expect(built.get(name)!.equals(bytes), name).toBe(true);
}

/** The host that ran each fixture's build, by fixture. */
const hosts = new Map<string, { readonly pid: number; readonly builds: number }>();
// The fixtures' builds are the first of a new host (an earlier file of this worker may have used one).
beforeAll(() => wranglerHost.stop());

describe("dosim builds a fixture of each kind as wrangler deploy would upload it", () => {
  it("compares a fixture of every kind the fixtures hold", () => {
    const held = (workers: readonly string[]) => [...new Set(workers.flatMap((worker) => buildKinds(sources.get(worker)!)))].sort();
    expect(held(COMPARED)).toEqual(held([...sources.keys()]));
    expect(held(COMPARED)).toEqual(expect.arrayContaining(["build command", "config .json", "config .jsonc", "config .toml", "defaulted date", "entry .js", "entry .ts", "module rules"]));
  });

  it.each(COMPARED)("%s", async (worker) => {
    const source = sources.get(worker)!;
    const date = source.compatibilityDateDefaulted === true ? source.compatibilityDate : undefined;
    const expected = await wranglerDryRun(source.configPath, date);
    expectSameModules(await hostDryRun(source.configPath, date), expected);
    hosts.set(worker, wranglerHost.current()!);
    const bundle = await bundleVersion(source);
    const [entry, runtime, ...own] = bundle.modules;
    expect([entry!.path, runtime!.path]).toEqual([VERSION_ENTRY_MODULE, VERSION_RUNTIME_MODULE]);
    expectSameModules(new Map(own.map((module) => [module.path, Buffer.from(module.contents)])), expected);
  });

  it("built the fixtures one after another in one wrangler host", () => {
    expect(new Set([...hosts.values()].map(({ pid }) => pid)).size).toBe(1);
    const builds = COMPARED.map((worker) => hosts.get(worker)!.builds);
    expect(builds).toEqual([...builds].sort((a, b) => a - b));
    expect(new Set(builds).size).toBe(COMPARED.length);
  });
});
