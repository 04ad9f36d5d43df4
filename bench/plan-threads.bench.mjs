// Throughput of `dosim plan` on one thread against every core (worker threads, see
// src/node/plan-threads.ts); the target on 2 cores is ≥ 1.7×.
//
// plan.threads_speedup: names per second of the plan pipeline, in this process: computePlan (what
// the CLI runs: the flags, the threads' start, hashing, assignment, the report's counts and
// checks, the report) on 2,000,000 generated names, `threads: 1` against every core, after one
// warm-up of each, rounds interleaved, median. The threads' start is part of every threaded run
// (they start afresh each time, as in the CLI); node's own start is not (it is the same for both
// and is not throughput). Both give the same JSON (checked here). plan.threads_cpu_cost_ratio: the
// CPU time of all threads with every core over that with one, in the same runs: what the threads'
// start and warm-up add to the work (1 would be free), so on n free cores the speedup is at most
// n over this ratio, whatever the load while it is measured.
//
// plan.threads_process_speedup (and _names_file): whole `dosim plan` processes on 1,000,000
// names (generated, and the same count from a file, a seventh of them repeats), so what only one
// thread can do (starting node, loading the CLI, reading the file) counts too. Each pair prints
// the same bytes (checked here). plan.threads_main_thread_cpu_ratio: the CPU time of the main
// thread with --threads 1 over that with every core (Linux only, read from /proc as the process
// exits): the main thread works from start to end while the others take chunks beside it, so a
// busy machine hardly moves this one.
//
// A process gets only its share of a busy machine whatever its threads (Linux shares the cores
// among sessions first): the load average is printed with the figures.
// Run after `npm run build`:  node bench/plan-threads.bench.mjs   (ends with `name: value` lines)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { computePlan } from "../dist/cli/commands/plan.js";
import { median, report } from "./timing.mjs";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const COUNT = Number(process.env.BENCH_OBJECTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PIPELINE_COUNT = Number(process.env.BENCH_PIPELINE_OBJECTS ?? 2_000_000);
const PIPELINE_ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 5);
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

/** Median ms of computePlan on one thread and on every thread, after a warm-up of each. */
async function timePipeline() {
  const flags = (count) => ({ objects: String(PIPELINE_COUNT), namespace: "hello-Counter", step: STEPS, json: true, threads: String(count) });
  const once = async (count) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const report = await computePlan(flags(count));
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { elapsed, cpu: (used.user + used.system) / 1000, json: JSON.stringify(report) };
  };
  await once(1);
  await once(threads);
  const times = { one: [], every: [], oneCpu: [], everyCpu: [] };
  for (let round = 0; round < PIPELINE_ROUNDS; round++) {
    const one = await once(1);
    const every = await once(threads);
    if (one.json !== every.json) throw new Error("computePlan gave different reports on one thread and on several");
    times.one.push(one.elapsed);
    times.every.push(every.elapsed);
    times.oneCpu.push(one.cpu);
    times.everyCpu.push(every.cpu);
  }
  return { one: median(times.one), every: median(times.every), oneCpu: median(times.oneCpu), everyCpu: median(times.everyCpu), samples: times };
}

const load = () => loadavg().map((value) => value.toFixed(1)).join(" ");
const threads = availableParallelism();
const loadBefore = load();
const pipeline = await timePipeline();
const loadAfterPipeline = load();
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

const seconds = (ms) => `${(ms / 1000).toFixed(3)} s`;
const perSecond = (ms) => `${((PIPELINE_COUNT / ms) * 1000 / 1e6).toFixed(2)} M names/s`;
const ticks = (count) => `${count} ticks`;
console.log(`plan threads bench: ${threads} threads; load average ${loadBefore} before, ${loadAfterPipeline} after the pipeline, ${load()} at the end`);
console.log(`  computePlan, ${PIPELINE_COUNT.toLocaleString("en-US")} names, median of ${PIPELINE_ROUNDS}: 1 thread ${seconds(pipeline.one)} (${perSecond(pipeline.one)}), ${threads} threads ${seconds(pipeline.every)} (${perSecond(pipeline.every)})`);
console.log(`    samples ms: 1 thread ${pipeline.samples.one.map(Math.round).join(" ")}; ${threads} threads ${pipeline.samples.every.map(Math.round).join(" ")}`);
console.log(`    CPU time of all threads (median): 1 thread ${seconds(pipeline.oneCpu)}, ${threads} threads ${seconds(pipeline.everyCpu)}`);
console.log(`  processes, ${COUNT.toLocaleString("en-US")} names, median of ${ROUNDS}:`);
console.log(`    --objects     --threads 1 ${seconds(generated.one)}, --threads ${threads} ${seconds(generated.every)}; main thread CPU ${ticks(generated.oneTicks)}, ${ticks(generated.everyTicks)}`);
console.log(`    --names-file  --threads 1 ${seconds(fromFile.one)}, --threads ${threads} ${seconds(fromFile.every)}; main thread CPU ${ticks(fromFile.oneTicks)}, ${ticks(fromFile.everyTicks)}`);
report({
  "plan.threads_speedup": pipeline.one / pipeline.every,
  "plan.threads_names_per_s_1_thread": Math.round((PIPELINE_COUNT / pipeline.one) * 1000),
  "plan.threads_names_per_s_every_thread": Math.round((PIPELINE_COUNT / pipeline.every) * 1000),
  "plan.threads_cpu_cost_ratio": pipeline.everyCpu / pipeline.oneCpu,
  "plan.threads_process_speedup": generated.one / generated.every,
  "plan.threads_process_speedup_names_file": fromFile.one / fromFile.every,
  ...(Number.isFinite(generated.everyTicks) && {
    "plan.threads_main_thread_cpu_ratio": generated.oneTicks / generated.everyTicks,
    "plan.threads_main_thread_cpu_ratio_names_file": fromFile.oneTicks / fromFile.everyTicks,
  }),
});
