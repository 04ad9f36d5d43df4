/**
 * The build cache never serves a stale bundle, and a build that cannot work is one input error
 * with a stable code. The tests build copies of fixture Workers in temporary folders (whose cache
 * lands in each folder's node_modules/.cache/dosim), so every first build is cold.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/cli/exit-codes.js";
import { buildWorker, type BuildRequest, type BuildResult } from "../../src/build/worker-build.js";
import { bundleVersion } from "../../src/runtime/bundle.js";
import { readWorkerSource } from "../../src/runtime/config.js";

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A copy of a fixture Worker in a fresh temporary folder. */
function copyFixture(name: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "dosim-build-"));
  folders.push(folder);
  cpSync(path.resolve("test/fixtures/workers", name), folder, { recursive: true });
  return folder;
}

function requestOf(configPath: string): BuildRequest {
  const source = readWorkerSource(configPath);
  return { configPath, moduleRules: source.moduleRules ?? [], findAdditionalModules: false, watchDirs: source.buildWatchDirs ?? [] };
}

function text(result: Awaited<ReturnType<typeof buildWorker>>, file: string): string {
  return Buffer.from(result.build.modules.find((module) => module.path === file)!.contents).toString("utf8");
}

describe("the build cache", () => {
  // The first two tests edit one copy of classic-html in turn (a first build of its own costs a
  // wrangler run): the second starts from the build the first left in the cache.
  let classic: { folder: string; request: BuildRequest; first: BuildResult } | undefined;

  it("reuses a build while its sources are unchanged, and rebuilds after an edit", async () => {
    const folder = copyFixture("classic-html");
    const request = requestOf(path.join(folder, "wrangler.toml"));
    // Asked twice at once, as two scenarios of one Worker replayed together ask: one wrangler run,
    // the second answer read from the cache the first one filled.
    const [first, twin] = await Promise.all([buildWorker(request), buildWorker(request)]);
    const again = await buildWorker(request);
    expect([first.cached, twin.cached, again.cached]).toEqual([false, true, true]);
    expect(text(twin, twin.build.entry)).toBe(text(first, first.build.entry));
    expect(text(again, again.build.entry)).toBe(text(first, first.build.entry));
    const room = path.join(folder, "src/room.js");
    writeFileSync(room, readFileSync(room, "utf8").replace("hits", "visits"));
    const edited = await buildWorker(request);
    expect(edited.cached).toBe(false);
    expect(text(edited, edited.build.entry)).toContain("visits");
    classic = { folder, request, first };
  });

  it("rebuilds when a file imported through a module rule changes", async () => {
    expect(classic, "the test before made the copy").toBeDefined();
    const { folder, request, first } = classic!;
    writeFileSync(path.join(folder, "src/page.html"), "<p>changed</p>\n");
    const edited = await buildWorker(request);
    expect(edited.cached).toBe(false);
    const page = edited.build.modules.find((module) => module.path.endsWith("-page.html"))!;
    expect([page.type, Buffer.from(page.contents).toString("utf8")]).toEqual(["Data", "<p>changed</p>\n"]);
    expect(first.build.modules.map((module) => module.path)).not.toContain(page.path);
  });

  it("rebuilds a [build] Worker when a file under its watch_dir changes", async () => {
    const folder = copyFixture("build-step");
    const request = requestOf(path.join(folder, "wrangler.toml"));
    await buildWorker(request);
    const worker = path.join(folder, "src/worker.js");
    writeFileSync(worker, readFileSync(worker, "utf8").replace("count });", "count, edited: true });"));
    const edited = await buildWorker(request);
    expect(edited.cached).toBe(false);
    expect(text(edited, edited.build.entry)).toContain("edited: true");
  });
});

describe("a Worker that cannot be built", () => {
  async function inputErrorOf(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
      await run();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return { code: (error as InputError).code, message: (error as InputError).message };
    }
    throw new Error("expected an input error");
  }

  it("fails to build with esbuild's file:line:column, on one line", async () => {
    const folder = copyFixture("kv-alarm");
    writeFileSync(path.join(folder, "src/a.js"), 'import { missing } from "./nowhere.js";\nexport default { fetch: () => missing() };\n');
    const error = await inputErrorOf(() => bundleVersion(readWorkerSource(path.join(folder, "wrangler.jsonc"))));
    expect(error.code).toBe("build-failed");
    expect(error.message).toMatch(/src\/a\.js:1:\d+: Could not resolve "\.\/nowhere\.js"$/);
    expect(error.message).not.toContain("\n");
  });

  it("names a broken config, a config without main and a missing main file", async () => {
    const folder = copyFixture("classic-html");
    const config = path.join(folder, "wrangler.toml");
    const original = readFileSync(config, "utf8");
    writeFileSync(config, `${original}\n[[rules]\ntype = "Data"\n`);
    expect((await inputErrorOf(async () => readWorkerSource(config))).code).toBe("invalid-config");
    writeFileSync(config, original.replace('main = "src/a.js"\n', ""));
    expect((await inputErrorOf(async () => readWorkerSource(config))).code).toBe("missing-main");
    writeFileSync(config, original.replace("src/a.js", "src/gone.js"));
    const missing = await inputErrorOf(async () => readWorkerSource(config));
    expect([missing.code, missing.message.includes("src/gone.js")]).toEqual(["missing-main", true]);
  });
});
