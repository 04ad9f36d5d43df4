// `dosim plan` on 1,000,000 names through a 4-step rollout, as whole processes: on one thread
// (--threads 1) against every core (the default for large inputs: worker threads, see
// src/node/plan-threads.ts), rounds interleaved in the same run, for generated names (--objects)
// and for the same count of names from a file (--names-file, a seventh of them repeats). Each pair
// prints the same bytes (checked here). Target on 2 cores: ≥ 1.7×. Also
// plan.threads_section_speedup: the threaded section alone (planObjects: hashing, assignment and
// the report's counts, in this process), without what stays on one thread (starting node, loading
// the CLI, reading a names file). A process gets only its share of a busy machine whatever its
// threads, so the load average is printed with the figures.
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

/** Runs the plan on `source` with `threads`; returns its wall-clock ms and its output. */
function run(source, threads) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [...ARGS, ...source, "--threads", String(threads)], { encoding: "utf8", maxBuffer: 1 << 26 });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`dosim plan exited with ${result.status}: ${result.stderr}`);
  return { elapsed, stdout: result.stdout };
}

/** Median ms of one thread and of every thread on `source`, rounds interleaved. */
function timeSource(source) {
  const times = { one: [], every: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const one = run(source, 1);
    const every = run(source, threads);
    if (one.stdout !== every.stdout) throw new Error(`dosim plan ${source.join(" ")} printed different bytes on one thread and on several`);
    times.one.push(one.elapsed);
    times.every.push(every.elapsed);
  }
  return { one: median(times.one), every: median(times.every) };
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
console.log(`  --objects     --threads 1 ${seconds(generated.one)}, --threads ${threads} ${seconds(generated.every)}`);
console.log(`  --names-file  --threads 1 ${seconds(fromFile.one)}, --threads ${threads} ${seconds(fromFile.every)}`);
console.log(`  planObjects   1 thread ${seconds(median(section.one))}, ${threads} threads ${seconds(median(section.every))}`);
report({
  "plan.threads_speedup": generated.one / generated.every,
  "plan.threads_speedup_names_file": fromFile.one / fromFile.every,
  "plan.threads_section_speedup": median(section.one) / median(section.every),
});
