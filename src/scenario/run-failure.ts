/**
 * How a scenario that could not run is told: one line naming the scenario, then the cause. The
 * runner's input errors (a version that fails to start...) carry the version and the cause; this
 * adds which scenario of the run it was.
 */
import { InputError } from "../model/input-error.js";
import type { Scenario } from "./types.js";

/** The one line for a scenario whose run stopped on `error`, or undefined when it is not an input error. */
export function scenarioFailureLine(scenario: Pick<Scenario, "name">, file: string, error: unknown): string | undefined {
  if (!(error instanceof InputError)) return undefined;
  return `${file}: scenario ${scenario.name}: ${error.message} [${error.code}]`;
}
