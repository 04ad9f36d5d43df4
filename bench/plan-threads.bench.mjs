// `dosim plan` on 1,000,000 generated names through a 4-step rollout, as whole processes: on one
// thread (--threads 1) against every core (the default for large inputs: worker threads, see
// src/node/plan-threads.ts), rounds interleaved in the same run. Both print the same bytes (checked
// here). Target on 2 cores: ≥ 1.7×. Also plan.threads_section_speedup: the threaded section alone
// (planObjects: hashing and assignment, in this process, rounds interleaved), without what stays
// on one thread whatever the threads (starting node, loading the CLI, the report's counts).
// Run after `npm run build`:  node bench/plan-threads.bench.mjs   (ends with `name: value` lines)
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { resolveCodeUpdate } from "../dist/model/code-update.js";
import { planRollout } from "../dist/model/plan.js";
import { planObjects } from "../dist/node/plan-threads.js";
import { median, report, timeRoundsAsync } from "./timing.mjs";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const COUNT = Number(process.env.BENCH_OBJECTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ARGS = [CLI, "plan", "--json", "--objects", String(COUNT), "--namespace", "hello-Counter", "--step", "A@100", "--step", "B@20,A@80", "--step", "B@50,A@50", "--step", "B@100"];

/** Runs the plan with `threads`; returns its wall-clock ms and its output. */
function run(threads) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [...ARGS, "--threads", String(threads)], { encoding: "utf8", maxBuffer: 1 << 26 });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`dosim plan exited with ${result.status}: ${result.stderr}`);
  return { elapsed, stdout: result.stdout };
}

const threads = availableParallelism();
const times = { one: [], every: [] };
for (let round = 0; round < ROUNDS; round++) {
  const one = run(1);
  const every = run(threads);
  if (one.stdout !== every.stdout) throw new Error("dosim plan printed different bytes on one thread and on several");
  times.one.push(one.elapsed);
  times.every.push(every.elapsed);
}
console.log(`plan threads bench: ${COUNT.toLocaleString("en-US")} objects, ${threads} threads, median of ${ROUNDS} rounds (whole processes)`);
console.log(`  --threads 1        ${(median(times.one) / 1000).toFixed(3)} s`);
console.log(`  --threads ${String(threads).padEnd(8)} ${(median(times.every) / 1000).toFixed(3)} s`);

const codeUpdate = resolveCodeUpdate(undefined).value;
const plan = planRollout(["A@100", "B@20,A@80", "B@50,A@50", "B@100"].map((spec) => ({ spec, codeUpdate }))).value;
const names = { first: 0, count: COUNT };
const section = await timeRoundsAsync(ROUNDS, {
  one: () => planObjects(plan, "hello-Counter", names, { threads: 1 }),
  every: () => planObjects(plan, "hello-Counter", names, { threads }),
});
console.log(`  planObjects, 1 thread    ${(median(section.one) / 1000).toFixed(3)} s`);
console.log(`  planObjects, ${String(threads).padEnd(2)} threads ${(median(section.every) / 1000).toFixed(3)} s`);
report({ "plan.threads_speedup": median(times.one) / median(times.every), "plan.threads_section_speedup": median(section.one) / median(section.every) });
