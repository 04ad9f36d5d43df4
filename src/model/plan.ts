/**
 * `plan`: what a rollout does to a set of Durable Objects, computed from their slots alone. Each
 * step is validated by the same rules as a real deployment (a throwaway Worker is uploaded and
 * deployed through the model), then every object is assigned with the shared assignment rule.
 * Assignments are kept as one byte per object per step, so a million objects stay cheap.
 */
import { deployVersions, fullDeploy } from "./deploy.js";
import { parseDeploymentSpec, type SpecItem } from "./deployment-spec.js";
import { fail, ok, type Result } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { uploadVersion } from "./versions.js";
import { emptyWorker, type CodeUpdate, type Deployment, type ModelContext, type WorkerState } from "./types.js";

/** One planned step: versions by label, with percentages, in listed order. */
export interface PlanStepInput {
  readonly spec: string | readonly string[];
  readonly codeUpdate?: CodeUpdate;
}

/** One step after validation: entries by label (listed order) and the deployment it makes. */
export interface PlannedStep {
  readonly spec: string;
  readonly entries: readonly { label: string; percentage: number }[];
  readonly deployment: Deployment;
}

/** A validated rollout: the labels (in upload order) and its steps. */
export interface RolloutPlan {
  readonly labels: readonly string[];
  readonly steps: readonly PlannedStep[];
}

/** Assignment of every object at every step: `versionIndex[step][object]` is an index into labels. */
export interface PlanAssignments {
  readonly objectCount: number;
  readonly versionIndex: readonly Uint8Array[];
}

/**
 * Validates the steps of a rollout through the real deployment rules. Labels stand for versions;
 * `declaredLabels` (if given) fixes their upload order and makes any other label an error. The
 * first step must put one version at 100% (a Worker's first deployment is a full deploy).
 */
export function planRollout(
  steps: readonly PlanStepInput[],
  declaredLabels?: readonly string[],
  limits: Limits = DEFAULT_LIMITS,
): Result<RolloutPlan> {
  if (steps.length === 0) return fail("no-versions", "Give at least one step, for example --step A@100.");
  const parsed: SpecItem[][] = [];
  for (const [index, step] of steps.entries()) {
    const items = parseDeploymentSpec(step.spec);
    if (!items.ok) return inStep(items, index);
    parsed.push(items.value);
  }
  const seen = [...new Set(parsed.flat().map((item) => item.ref))];
  const labels = declaredLabels ?? seen;
  const unknown = seen.find((label) => !labels.includes(label));
  if (unknown !== undefined) {
    return inStep(fail("unknown-version", `"${unknown}" is not one of the declared versions (${labels.join(", ")}).`, { ref: unknown }), stepOf(parsed, unknown));
  }
  const first = parsed[0]!;
  if (first.length !== 1 || first[0]!.percentage !== 100) {
    return inStep(fail("not-deployed-yet", "A Worker's first deployment is a full deploy: make the first step one version at 100%, for example A@100."), 0);
  }
  return buildPlan(labels, first[0]!.ref, parsed, steps, limits);
}

function buildPlan(labels: readonly string[], firstLabel: string, parsed: SpecItem[][], steps: readonly PlanStepInput[], limits: Limits): Result<RolloutPlan> {
  let counter = 0;
  const ctx: ModelContext = { nowMs: 0, newId: () => `plan-${++counter}` };
  const ids: Record<string, string> = {};
  const initial = fullDeploy(emptyWorker("plan"), { tag: firstLabel }, ctx, steps[0]!.codeUpdate ? { codeUpdate: steps[0]!.codeUpdate } : {}, limits);
  if (!initial.ok) return inStep(initial, 0);
  let state: WorkerState = initial.value.state;
  ids[firstLabel] = initial.value.version!.id;
  for (const label of labels.filter((label) => label !== firstLabel)) {
    const uploaded = uploadVersion(state, { tag: label }, ctx, limits);
    if (!uploaded.ok) return uploaded;
    state = uploaded.value.state;
    ids[label] = uploaded.value.version.id;
  }
  const labelOf = new Map(Object.entries(ids).map(([label, id]) => [id, label]));
  const describe = (deployment: Deployment): PlannedStep => {
    const entries = deployment.entries.map((entry) => ({ label: labelOf.get(entry.versionId)!, percentage: entry.percentage }));
    return { spec: entries.map((entry) => `${entry.label}@${entry.percentage}`).join(","), entries, deployment };
  };
  const planned: PlannedStep[] = [describe(initial.value.deployment)];
  for (let index = 1; index < parsed.length; index++) {
    const codeUpdate = steps[index]!.codeUpdate;
    const deployed = deployVersions(state, parsed[index]!, ctx, { labels: ids, ...(codeUpdate && { codeUpdate }) }, limits);
    if (!deployed.ok) return inStep(deployed, index);
    state = deployed.value.state;
    planned.push(describe(deployed.value.deployment));
  }
  return ok({ labels: [...labels], steps: planned });
}

function stepOf(parsed: SpecItem[][], label: string): number {
  return Math.max(0, parsed.findIndex((items) => items.some((item) => item.ref === label)));
}

/** Adds the 1-based step number to a refusal so the user knows which --step to fix. */
function inStep<T>(result: Result<unknown>, index: number): Result<T> {
  if (result.ok) throw new Error("inStep is only for refusals");
  const { error } = result;
  return fail(error.code, `Step ${index + 1}: ${error.message}`, { ...error.details, step: index + 1 });
}

/** Assigns every object (given by slot) at every step of a plan (it lives with the rest of the per-object work). */
export { assignPlan } from "./plan-chunk.js";
