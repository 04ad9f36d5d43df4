/**
 * Replays loaded scenarios on the pool, each on its own simulator (its own workerd), and isolates
 * them from each other: a scenario that cannot be replayed — its Worker does not build or start,
 * its config is broken — is reported as errored, and every other scenario still runs and is
 * reported. Loaded by `replay` only once the input is known to be good: it imports the host.
 */
import { createProgress } from "../../node/progress.js";
import { runPool } from "../../pool/run-pool.js";
import { erroredScenario, INTERNAL_ERROR_CODE, type ReplayError, type ReplayReport } from "../../report/replay-report.js";
import { runScenario, type ScenarioRun } from "../../scenario/run.js";
import type { Scenario } from "../../scenario/types.js";
import { EXIT, InputError } from "../exit-codes.js";

/** How to replay. */
export interface ReplayRunOptions {
  /** Scenarios replayed at once. */
  readonly jobs: number;
  /** Replaces every scenario's seed. */
  readonly seed?: string;
}

/** Replays `scenarios` (named `files` in the report) at most `jobs` at a time; results in input order. */
export function replayScenarios(scenarios: readonly Scenario[], files: readonly string[], options: ReplayRunOptions): Promise<ScenarioRun[]> {
  const progress = createProgress("Replaying scenarios", scenarios.length);
  let done = 0;
  const replayOne = async (scenario: Scenario, index: number): Promise<ScenarioRun> => {
    const file = files[index]!;
    try {
      return await runScenario(scenario, { ...(options.seed !== undefined && { seed: options.seed }), file });
    } catch (error) {
      return { report: erroredScenario(scenario, file, options.seed ?? scenario.seed, replayError(error)), traces: [] };
    }
  };
  return runPool(scenarios, options.jobs, replayOne, () => progress.update(++done)).finally(() => progress.finish());
}

/**
 * The exit code of a replay: 3 when a scenario failed inside dosim (a bug to report), else 2 when
 * one could not be replayed because of its input, else 1 when an expectation failed, else 0.
 */
export function replayExitCode(report: ReplayReport): number {
  const codes = report.scenarios.flatMap((scenario) => (scenario.error === undefined ? [] : [scenario.error.code]));
  if (codes.includes(INTERNAL_ERROR_CODE)) return EXIT.internal;
  if (codes.length > 0) return EXIT.invalidInput;
  return report.scenarios.some((scenario) => scenario.expectations.some((expectation) => !expectation.passed)) ? EXIT.failed : EXIT.ok;
}

/** Why a scenario could not be replayed: an input error keeps its code, anything else is internal. */
export function replayError(error: unknown): ReplayError {
  if (error instanceof InputError) return { code: error.code, message: oneLine(error.message) };
  return { code: INTERNAL_ERROR_CODE, message: oneLine(error instanceof Error ? error.message : String(error)) };
}

/** Error messages on one line: a report line, a JUnit attribute. */
function oneLine(message: string): string {
  return message.split("\n").map((line) => line.trim()).filter((line) => line !== "").join(" ");
}
