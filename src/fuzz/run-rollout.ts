/**
 * Runs one generated rollout with the scenario runner, on a simulator of its own (a fresh workerd
 * and scratch storage per run: about 0.8 s on two cores, see the README), and says what broke. The
 * checks are the scenario's own expectations and guarantees, so a failure here is exactly what
 * `dosim replay` of the written file reports.
 */
import type { ReplayExpectation } from "../report/replay-report.js";
import { runScenario } from "../scenario/run.js";
import type { RolloutScenario } from "./scenario-file.js";

/** The first expectation a rollout broke, and how many it broke. */
export interface RolloutFailure {
  readonly first: ReplayExpectation;
  readonly failed: number;
}

/** Runs the rollout; undefined when every expectation and guarantee holds. */
export async function runRollout(rollout: RolloutScenario): Promise<RolloutFailure | undefined> {
  const { report } = await runScenario(rollout.scenario);
  const failed = report.expectations.filter((expectation) => !expectation.passed);
  if (failed.length === 0) return undefined;
  // Step 0 holds the whole-run guarantees; a step's own expectation says more about where it broke.
  const first = failed.find((expectation) => expectation.step > 0) ?? failed[0]!;
  return { first, failed: failed.length };
}

/** One line that says what broke: `step 6 (json.count): expected 2, got 1 — why`. */
export function describeFailure(failure: RolloutFailure): string {
  const { first } = failure;
  const where = first.step === 0 ? "over the whole run" : `at step ${first.step}`;
  const more = failure.failed > 1 ? ` (and ${failure.failed - 1} more)` : "";
  return `${first.name} ${where}: expected ${JSON.stringify(first.expected)}, got ${JSON.stringify(first.actual)}. ${first.message}${more}`;
}
