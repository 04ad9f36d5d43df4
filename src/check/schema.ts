/**
 * The check file: a scenario file whose `check:` block holds the workload every cell runs and,
 * optionally, the deployment plan to check. Its steps are optional (a scenario with steps can
 * carry a check too: `dosim replay` runs the steps, `dosim check` the check).
 *
 *   versions: { A: {}, B: { main: src/b.ts } }
 *   check:
 *     plan: B@50,A@50 -> B@100
 *     workload:
 *       - request: /rooms/{name}/join
 *         object: lobby
 *         method: POST
 *         expect: { status: 200 }
 */
import { z } from "zod";
import { ScenarioFileSchema } from "../scenario/schema.js";
import { CheckBlock, WorkloadRequest } from "../scenario/schema/check.js";

/** A check file, as validated. */
export const CheckFileSchema = ScenarioFileSchema.extend({
  versions: ScenarioFileSchema.shape.versions.optional().describe("The versions, by label, in rollout order (or give them on the command line)."),
  steps: ScenarioFileSchema.shape.steps.optional().describe("A scenario's steps: `dosim replay` runs them; `dosim check` ignores them."),
  check: CheckBlock,
})
  .describe("A dosim check: a Worker, its versions in rollout order, a workload and an optional plan.")
  .meta({ title: "dosim check" });

/** A check file as written. */
export type CheckFile = z.infer<typeof CheckFileSchema>;

/** One workload request as written. */
export type WorkloadRequestFile = z.infer<typeof WorkloadRequest>;
