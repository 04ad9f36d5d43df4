// `dosim plan` on 1,000,000 names through a 4-step rollout, as whole processes: on one thread
// (--threads 1) against every core (the default for large inputs: worker threads, see
// src/node/plan-threads.ts), rounds interleaved in the same run, for generated names (--objects)
// and for the same count of names from a file (--names-file, a seventh of them repeats). Each pair
// prints the same bytes (checked here). Target on 2 cores: ≥ 1.7×. Also
// plan.threads_section_speedup: the threaded section alone (planObjects: hashing, assignment and
// the report's counts, in this process), without what stays on one thread (starting node, loading
// the CLI, reading a names file). A process gets only its share of a busy machine whatever its
// threads (Linux shares the cores among sessions first), so the load average is printed with the
// figures, and so is plan.threads_main_thread_cpu_ratio: the CPU time of the main thread with
// --threads 1 over that with every core (Linux only, read from /proc as the process exits). The
// main thread works from start to end (the other threads take chunks beside it), so this is the
// speedup the threads give where the cores are free, measured in a way that a busy machine
// hardly moves.
// Run after `npm run build`:  node bench/plan-threads.bench.mjs   (ends with `name: value` lines)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveCodeUpdate } from "../dist/model/code-update.js";
import { planRollout } from "../dist/model/plan.js";
import { planObjects } from "../dist/node/plan-threads.js";
import { median, report, timeRoundsAsync } from "./timing.mjs";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const COUNT = Number(process.env.BENCH_OBJECTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STEPS = ["A@100", "B@20,A@80", "B@50,A@50", "B@100"];
const ARGS = [CLI, "plan", "--json", "--namespace", "hello-Counter", ...STEPS.flatMap((step) => ["--step", step])];

// Loaded into each plan process: prints its main thread's CPU time (clock ticks) on exit.
const MAIN_THREAD_CPU = `data:text/javascript,${encodeURIComponent(`import { readFileSync, writeSync } from "node:fs";
process.on("exit", () => {
  try {
    const fields = readFileSync("/proc/self/task/" + process.pid + "/stat", "utf8").split(") ")[1].split(" ");
    writeSync(2, "main-thread-cpu-ticks " + (Number(fields[11]) + Number(fields[12])) + "\\n");
  } catch {}
});`)}`;

/** Runs the plan on `source` with `threads`; returns its wall-clock ms, main-thread CPU ticks and output. */
function run(source, threads) {
  const start = performance.now();
  const result = spawnSync(process.execPath, ["--import", MAIN_THREAD_CPU, ...ARGS, ...source, "--threads", String(threads)], { encoding: "utf8", maxBuffer: 1 << 26 });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`dosim plan exited with ${result.status}: ${result.stderr}`);
  const ticks = /main-thread-cpu-ticks (\d+)/.exec(result.stderr)?.[1];
  return { elapsed, ticks: ticks === undefined ? NaN : Number(ticks), stdout: result.stdout };
}

/** Median ms of one thread and of every thread on `source`, rounds interleaved. */
function timeSource(source) {
  const times = { one: [], every: [], oneTicks: [], everyTicks: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const one = run(source, 1);
    const every = run(source, threads);
    if (one.stdout !== every.stdout) throw new Error(`dosim plan ${source.join(" ")} printed different bytes on one thread and on several`);
    times.one.push(one.elapsed);
    times.every.push(every.elapsed);
    times.oneTicks.push(one.ticks);
    times.everyTicks.push(every.ticks);
  }
  return { one: median(times.one), every: median(times.every), oneTicks: median(times.oneTicks), everyTicks: median(times.everyTicks) };
}

const load = () => loadavg().map((value) => value.toFixed(1)).join(" ");
const threads = availableParallelism();
const loadBefore = load();
const generated = timeSource(["--objects", String(COUNT)]);
const dir = mkdtempSync(join(tmpdir(), "dosim-plan-bench-"));
let fromFile;
try {
  const file = join(dir, "names.txt");
  writeFileSync(file, Array.from({ length: COUNT }, (_, index) => (index % 7 === 0 ? `räum-${index % 7_000}` : `room-${index}`)).join("\n"));
  fromFile = timeSource(["--names-file", file]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const codeUpdate = resolveCodeUpdate(undefined).value;
const plan = planRollout(STEPS.map((spec) => ({ spec, codeUpdate }))).value;
const names = { first: 0, count: COUNT };
const section = await timeRoundsAsync(ROUNDS, {
  one: () => planObjects(plan, "hello-Counter", names, { threads: 1 }),
  every: () => planObjects(plan, "hello-Counter", names, { threads }),
});
const seconds = (ms) => `${(ms / 1000).toFixed(3)} s`;
console.log(`plan threads bench: ${COUNT.toLocaleString("en-US")} names, ${threads} threads, median of ${ROUNDS} rounds; load average ${loadBefore} before, ${load()} after`);
const ticks = (count) => `${count} ticks`;
console.log(`  --objects     --threads 1 ${seconds(generated.one)}, --threads ${threads} ${seconds(generated.every)}; main thread CPU ${ticks(generated.oneTicks)}, ${ticks(generated.everyTicks)}`);
console.log(`  --names-file  --threads 1 ${seconds(fromFile.one)}, --threads ${threads} ${seconds(fromFile.every)}; main thread CPU ${ticks(fromFile.oneTicks)}, ${ticks(fromFile.everyTicks)}`);
console.log(`  planObjects   1 thread ${seconds(median(section.one))}, ${threads} threads ${seconds(median(section.every))}`);
report({
  "plan.threads_speedup": generated.one / generated.every,
  "plan.threads_speedup_names_file": fromFile.one / fromFile.every,
  "plan.threads_section_speedup": median(section.one) / median(section.every),
  ...(Number.isFinite(generated.everyTicks) && {
    "plan.threads_main_thread_cpu_ratio": generated.oneTicks / generated.everyTicks,
    "plan.threads_main_thread_cpu_ratio_names_file": fromFile.oneTicks / fromFile.everyTicks,
  }),
});
