// The cost of building a version with wrangler's own dry run, and what the build cache saves: a
// cold build (a wrangler process) against a cached one (hashing the inputs, reading the output)
// and against a plain esbuild bundle of the same entry (dosim's former build, no module rules).
// On a busy machine wall time says little: on Linux it also reports the CPU of a cold build's
// wrangler process (and esbuild's), the figure a build costs the machine. Runs on a copy of the
// example Worker in a temporary folder. Ends with `name: value` lines.
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { buildWorker } from "../dist/build/worker-build.js";
import { readWorkerSource } from "../dist/runtime/config.js";
import { median, report, timeRoundsAsync } from "./timing.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * CPU ms of the child processes waited for so far (cutime + cstime of /proc/self/stat, in clock
 * ticks of 10 ms, Linux's USER_HZ), or undefined where there is no /proc.
 */
function childrenCpuMs() {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

const folder = mkdtempSync(path.join(os.tmpdir(), "dosim-build-bench-"));
try {
  cpSync("src/example/worker.ts", path.join(folder, "src/worker.ts"));
  writeFileSync(path.join(folder, "wrangler.toml"), readFileSync("wrangler.toml", "utf8").replace("src/example/worker.ts", "src/worker.ts"));
  const configPath = path.join(folder, "wrangler.toml");
  const source = readWorkerSource(configPath);
  const request = { configPath, moduleRules: source.moduleRules, findAdditionalModules: false, watchDirs: [] };
  let edits = 0;
  const coldCpuMs = [];
  const samples = await timeRoundsAsync(ROUNDS, {
    // An edit before each cold build, so the cache cannot serve it.
    cold: async () => {
      writeFileSync(path.join(folder, "src/worker.ts"), `${readFileSync(path.join(folder, "src/worker.ts"), "utf8")}\n// edit ${++edits}\n`);
      const before = childrenCpuMs();
      if ((await buildWorker(request)).cached) throw new Error("a cold build was served from the cache");
      if (before !== undefined) coldCpuMs.push(childrenCpuMs() - before);
    },
    cached: async () => {
      if (!(await buildWorker(request)).cached) throw new Error("an unchanged build was not cached");
    },
    esbuild: () => build({ entryPoints: [source.main], bundle: true, format: "esm", write: false, external: ["cloudflare:*"], logLevel: "silent" }),
  });
  const cold = median(samples.cold);
  const cached = median(samples.cached);
  const plain = median(samples.esbuild);
  const cpu = coldCpuMs.length > 0 ? { "build cold cpu ms": Math.round(median(coldCpuMs)) } : {};
  report({ "build cold ms": Math.round(cold), ...cpu, "build cached ms": Math.round(cached), "esbuild ms": Math.round(plain), "cold / cached": cold / cached, "cached / esbuild": cached / plain });
} finally {
  rmSync(folder, { recursive: true, force: true });
}
