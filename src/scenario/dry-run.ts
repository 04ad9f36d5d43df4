/**
 * A scenario's version-creating operations, run on the pure model before workerd starts, to learn
 * every version the run will make: its id, number, creation time, annotations and bindings, and
 * whose code it runs. The host registers one worker per version up front (no restart mid-run),
 * and at each step the control plane records the version and checks it against this one.
 *
 * The dry run makes the same model calls as the control plane will, with the same seed, limits and
 * virtual clock, so refusals (10211, 10215, the version window...) fall on the same steps. Ids:
 * a new version's id is drawn from the stream `<seed>/versions`; every other id (deployments) comes
 * from the stream `<seed>`, as in the control plane. Nothing here imports Node, so it is pure.
 */
import type { Limits } from "../model/limits.js";
import { createRandom, randomUuid, type RandomSource } from "../model/random.js";
import { emptyWorker, type ModelContext, type Version, type WorkerState } from "../model/types.js";
import type { VersionInput } from "../model/versions.js";
import { isOperationStep, runOperation, type OperationContext } from "./operations.js";
import type { Scenario } from "./types.js";

/** What the dry run needs besides the scenario. */
export interface DryRunOptions {
  /** The run's seed (the scenario's, or `--seed`). */
  readonly seed: string;
  /** The virtual clock's start, as the host's. */
  readonly startMs: number;
  readonly workerName: string;
  readonly limits: Limits;
  /** The model's upload input for a declared label, exactly as the host will build it. */
  readonly inputOf: (label: string) => VersionInput;
}

/** A version the run will make. */
export interface DryRunVersion {
  readonly version: Version;
  /** The declared label whose code (config, entry) the version runs. */
  readonly codeLabel: string;
  /** The label it is made under; absent for a secret step without one. */
  readonly label?: string;
  /** The 0-based index of the step that makes it. */
  readonly stepIndex: number;
}

/** Every version of the run in creation order, and the refusal code of each refused operation by step index. */
export interface DryRun {
  readonly versions: readonly DryRunVersion[];
  readonly refusals: Readonly<Record<number, string>>;
  /** Ids of the versions some deployment of the run names (the only ones whose code can run). */
  readonly deployed: ReadonlySet<string>;
}

/** The seeded stream of version ids of a run. */
function versionIdStream(seed: string): () => string {
  const random = createRandom(`${seed}/versions`);
  return () => randomUuid(random);
}

/**
 * A model context whose first id (the new version's, in every operation that makes one) is
 * `versionId`, and whose other ids come from `random`: the control plane's rule for staged versions.
 */
function stagedContext(nowMs: number, random: RandomSource, versionId: () => string): ModelContext {
  let first = true;
  return {
    nowMs,
    newId: () => {
      if (!first) return randomUuid(random);
      first = false;
      return versionId();
    },
  };
}

/** Runs the scenario's operations on the model and returns the versions they make. */
export function dryRunScenario(scenario: Scenario, options: DryRunOptions): DryRun {
  const random = createRandom(options.seed);
  const nextVersionId = versionIdStream(options.seed);
  const versions: DryRunVersion[] = [];
  const refusals: Record<number, string> = {};
  const labels: Record<string, string> = {};
  const codeOf = new Map<string, string>();
  let worker: WorkerState = emptyWorker(options.workerName);
  let nowMs = options.startMs;
  const limits = options.limits;
  /** The context of an operation that makes a version (its id is staged) or of one that does not. */
  const ctx = (makesVersion: boolean): ModelContext =>
    makesVersion ? stagedContext(nowMs, random, nextVersionId) : { nowMs, newId: () => randomUuid(random) };

  let stepIndex = 0;
  const operation: OperationContext = {
    limits,
    labels,
    inputOf: options.inputOf,
    ctx,
    onVersion: ({ version, label, codeLabel, basedOn }) => {
      const code = codeLabel ?? codeOf.get(basedOn!)!;
      versions.push({ version, codeLabel: code, stepIndex, ...(label !== undefined && { label }) });
      codeOf.set(version.id, code);
      if (label !== undefined) labels[label] = version.id;
    },
  };

  for (const step of scenario.steps) {
    if (step.kind === "wait") nowMs += step.durationMs;
    const operationStep = step.kind === "traffic" ? step.during : step;
    if (operationStep === undefined || !isOperationStep(operationStep)) continue;
    stepIndex = operationStep.index;
    const outcome = runOperation(worker, operationStep, operation);
    worker = outcome.state;
    if (outcome.error !== undefined) refusals[step.index] = outcome.error.code;
  }
  const deployed = new Set(worker.deployments.flatMap((deployment) => deployment.entries.map((entry) => entry.versionId)));
  return { versions, refusals, deployed };
}
