// `dosim check` against a replay, in the same run: a check of two versions with a 20-request
// workload (examples/check/hello.yaml, every cell its plan makes possible) against replaying one
// small scenario (scenarios/01-docs-progression.yaml), each on a fresh host. Target: < 3.
// Run after a build: `npm run -s build && node bench/check.bench.mjs` (BENCH_ROUNDS, default 3).
import { loadCheckFile } from "../dist/check/load.js";
import { runCheck } from "../dist/check/run.js";
import { loadScenarioFile } from "../dist/scenario/load.js";
import { runScenario } from "../dist/scenario/run.js";
import { median, report, timeRoundsAsync } from "./timing.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const check = loadCheckFile("examples/check/hello.yaml");
const scenario = loadScenarioFile("scenarios/01-docs-progression.yaml");
if (!check.ok || !scenario.ok) throw new Error("the bench's inputs do not load");
if (check.check.workload.reduce((sum, item) => sum + item.count, 0) !== 20) throw new Error("the check's workload is not 20 requests");

let cells = 0;
const samples = await timeRoundsAsync(ROUNDS, {
  check: async () => {
    const result = await runCheck(check.check);
    if (result.verdict !== "safe") throw new Error("the bundled Worker's check is not safe");
    cells = result.cells.length;
  },
  replay: async () => {
    const { report: replayed } = await runScenario(scenario.scenario);
    if (replayed.expectations.some((expectation) => !expectation.passed)) throw new Error("the scenario failed");
  },
});
const [checkMs, replayMs] = [median(samples.check), median(samples.replay)];
report({ "check.cells": cells, "check.two_versions_ms": Math.round(checkMs), "replay.small_scenario_ms": Math.round(replayMs), "check.two_versions_vs_replay": checkMs / replayMs });
