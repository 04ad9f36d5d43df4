/**
 * `dosim fuzz`'s search: fast-check generates rollouts ({@link rolloutArbitrary}), each runs as a
 * scenario on its own simulator, and the first one that breaks an expectation is shrunk by
 * fast-check to the shortest rollout that still breaks one. That rollout is written as a scenario
 * file, with the seeds that made it, which `dosim replay` fails on in the same way.
 *
 * Whether the Worker counts its writes is asked only when a rollout breaks (see probe.ts): a run
 * that finds nothing never pays for the question's host, and a Worker that does not count is
 * searched again from the start, with the same seed, without the count check.
 */
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { rolloutArbitrary, type Rollout } from "./commands.js";
import { probeCount } from "./probe.js";
import { describeFailure, runRollout, type RolloutFailure } from "./run-rollout.js";
import { oracleContext, rolloutScenario } from "./scenario-file.js";
import type { FuzzTarget } from "./target.js";

/** How long to search. */
export interface FuzzOptions {
  /** Rollouts to try before declaring nothing broke. */
  readonly runs: number;
  /** fast-check's seed: the same seed and target give the same rollouts. */
  readonly seed: number;
  /** The longest rollout, in generated steps (the first deploy comes on top). */
  readonly maxSteps: number;
  /** Where a failing rollout is written. */
  readonly out: string;
  /** The most rollouts shrinking may run; past it, the smallest failure found so far is kept. */
  readonly maxShrinkRuns: number;
  /** Told after each rollout run: how many searched, how many shrinking. */
  readonly onRun?: (searched: number, shrinking: number) => void;
  /** Told when the Worker's first answer does not hold its count: the search starts again without the count check. */
  readonly onCountDropped?: () => void;
}

/** A rollout that broke something, written to `file`. */
export interface FuzzFinding {
  readonly file: string;
  /** Steps in the written scenario. */
  readonly steps: number;
  /** What broke, in one line. */
  readonly failure: string;
  /** The search run (1-based) that first broke, and the rollouts tried while shrinking. */
  readonly foundAtRun: number;
  readonly shrinkRuns: number;
}

/** What a search did. */
export interface FuzzResult {
  /** Rollouts run in the search (not counting shrinking). */
  readonly runs: number;
  readonly finding?: FuzzFinding;
}

/** Searches for a rollout of `target` that breaks; writes it to `options.out` when one does. */
export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzResult> {
  // At most twice: a target without a count field is never found uncounted.
  for (let searched = target; ; ) {
    const result = await search(searched, options);
    if (!("uncounted" in result)) return result;
    options.onCountDropped?.();
    searched = result.uncounted;
  }
}

/**
 * One search of `target`; when its first broken rollout shows that the Worker does not count its
 * writes, it stops and returns the target without the count field.
 */
async function search(target: FuzzTarget, options: FuzzOptions): Promise<FuzzResult | { readonly uncounted: FuzzTarget }> {
  const context = oracleContext(target);
  const file = options.out;
  const results = new Map<string, RolloutFailure | undefined>();
  let searched = 0;
  let shrinking = 0;
  let foundAtRun = 0;
  let fatal: unknown;
  // Asked before the first broken rollout counts as a failure, so shrinking never starts on a count the Worker does not keep.
  let probed = target.countField === undefined;
  let uncounted: FuzzTarget | undefined;
  const property = fc.asyncProperty(rolloutArbitrary(options.maxSteps, { sockets: target.sockets.length, calls: target.calls.length }), async (rollout) => {
    if (fatal !== undefined) throw fatal;
    // The rest of this search is moot: it runs again without the count check.
    if (uncounted !== undefined) return true;
    const built = rolloutScenario(rollout, target, context, { file });
    if (results.has(built.text)) return results.get(built.text) === undefined;
    // Past the shrinking budget, candidates count as passing: fast-check keeps the smallest failure so far.
    if (foundAtRun > 0 && shrinking >= options.maxShrinkRuns) return true;
    let failure: RolloutFailure | undefined;
    try {
      failure = await runRollout(built);
      if (failure !== undefined && !probed) {
        probed = true;
        const checked = await probeCount(target);
        if (checked.countField === undefined) {
          uncounted = checked;
          return true;
        }
      }
    } catch (error) {
      fatal = error;
      throw error;
    }
    results.set(built.text, failure);
    if (foundAtRun > 0) shrinking++;
    else searched++;
    if (failure !== undefined && foundAtRun === 0) foundAtRun = searched;
    options.onRun?.(searched, shrinking);
    return failure === undefined;
  });
  const details = await fc.check(property, { numRuns: options.runs, seed: options.seed });
  if (fatal !== undefined) throw fatal;
  if (uncounted !== undefined) return { uncounted };
  if (!details.failed || details.counterexample === null) return { runs: searched };
  const rollout: Rollout = details.counterexample[0];
  const written = rolloutScenario(rollout, target, context, { file, comment: fileComment(options, foundAtRun) });
  const failure = results.get(rolloutScenario(rollout, target, context, { file }).text) ?? (await runRollout(written));
  writeFileSync(file, written.text);
  const finding: FuzzFinding = {
    file,
    steps: written.scenario.steps.length,
    failure: failure === undefined ? "the rollout failed while fuzzing but passed when run again (a flaky failure)" : describeFailure(failure),
    foundAtRun,
    shrinkRuns: shrinking,
  };
  return { runs: searched, finding };
}

/** The opening comment of a written failure: what found it and how to run it again. */
function fileComment(options: FuzzOptions, foundAtRun: number): string {
  return [
    ` A rollout that breaks an expectation, found by dosim fuzz --seed ${options.seed} (run ${foundAtRun},`,
    ` at most ${options.maxSteps} steps) and shrunk to the shortest that still breaks. Each step's`,
    ` expectations were worked out on dosim's model; replay it with: dosim replay <this file>`,
  ].join("\n");
}
