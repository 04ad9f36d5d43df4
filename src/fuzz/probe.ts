/**
 * Whether the Worker counts its writes: one rollout of a single request, whose answer must hold
 * `{ <countField>: 1 }`. A Worker that answers otherwise is fuzzed without the count check, rather
 * than "failing" on a field it never had.
 */
import { runRollout } from "./run-rollout.js";
import { oracleContext, rolloutScenario } from "./scenario-file.js";
import type { FuzzTarget } from "./target.js";

/** The target, without its count field when the Worker's first answer does not count. */
export async function probeCount(target: FuzzTarget): Promise<FuzzTarget> {
  if (target.countField === undefined) return target;
  const bare = { ...target, invariants: [] };
  const probe = rolloutScenario({ scenarioSeed: 1, commands: [{ kind: "request", object: 0 }] }, bare, oracleContext(bare), { file: target.config });
  const failure = await runRollout(probe);
  if (failure === undefined || !failure.first.name.startsWith("json")) return target;
  const { countField: _, ...withoutCount } = target;
  return withoutCount;
}
