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
import { resolveCodeUpdate } from "../model/code-update.js";
import { deployVersions, fullDeploy } from "../model/deploy.js";
import type { Result } from "../model/errors.js";
import type { Limits } from "../model/limits.js";
import { createRandom, randomUuid, type RandomSource } from "../model/random.js";
import { rollback } from "../model/rollback.js";
import { putSecret, putVersionSecret } from "../model/secrets.js";
import { emptyWorker, type ModelContext, type Version, type WorkerState } from "../model/types.js";
import { uploadVersion, type VersionInput } from "../model/versions.js";
import type { DeployStep, RollbackStep, Scenario, SecretStep, UploadStep } from "./types.js";

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
}

/** The seeded stream of version ids of a run. */
export function versionIdStream(seed: string): () => string {
  const random = createRandom(`${seed}/versions`);
  return () => randomUuid(random);
}

/**
 * A model context whose first id (the new version's, in every operation that makes one) is
 * `versionId`, and whose other ids come from `random`: the control plane's rule for staged versions.
 */
export function stagedContext(nowMs: number, random: RandomSource, versionId: () => string): ModelContext {
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
  const ctx = (makesVersion = true): ModelContext =>
    makesVersion ? stagedContext(nowMs, random, nextVersionId) : { nowMs, newId: () => randomUuid(random) };

  const made = (version: Version, codeLabel: string, label: string | undefined, stepIndex: number): void => {
    versions.push({ version, codeLabel, stepIndex, ...(label !== undefined && { label }) });
    codeOf.set(version.id, codeLabel);
    if (label !== undefined) labels[label] = version.id;
  };

  const operate = (step: UploadStep | DeployStep | RollbackStep | SecretStep): Result<unknown> => {
    if (step.kind === "upload") {
      let last: Result<unknown> = { ok: true, value: undefined };
      for (let n = 0; n < step.count && last.ok; n++) {
        const uploaded = uploadVersion(worker, options.inputOf(step.label), ctx(), limits);
        last = uploaded;
        if (uploaded.ok) {
          worker = uploaded.value.state;
          made(uploaded.value.version, step.label, step.label, step.index);
        }
      }
      return last;
    }
    if (step.kind === "secret") {
      const base = worker.versions[worker.versions.length - 1];
      const outcome = step.versioned
        ? putVersionSecret(worker, step.secretName, step.value, ctx(), step.message !== undefined ? { message: step.message } : {}, limits)
        : putSecret(worker, step.secretName, step.value, ctx(), limits);
      if (outcome.ok) {
        worker = outcome.value.state;
        made(outcome.value.version, codeOf.get(base!.id)!, step.label, step.index);
      }
      return outcome;
    }
    const codeUpdate = resolveCodeUpdate(step.codeUpdate, limits);
    if (!codeUpdate.ok) return codeUpdate;
    const message = step.message !== undefined ? { message: step.message } : {};
    if (step.kind === "rollback") {
      const target = step.target === undefined ? {} : { versionId: labels[step.target] ?? step.target };
      const outcome = rollback(worker, { ...target, force: step.force, codeUpdate: codeUpdate.value, ...message }, ctx(false), limits);
      if (outcome.ok) worker = outcome.value.state;
      return outcome;
    }
    if (step.full) {
      const label = step.entries?.[0]?.label ?? step.spec;
      const outcome = fullDeploy(worker, options.inputOf(label), ctx(), { codeUpdate: codeUpdate.value, ...message }, limits);
      if (outcome.ok) {
        worker = outcome.value.state;
        made(outcome.value.version!, label, label, step.index);
      }
      return outcome;
    }
    const outcome = deployVersions(worker, step.spec, ctx(false), { codeUpdate: codeUpdate.value, labels: { ...labels }, ...message }, limits);
    if (outcome.ok) worker = outcome.value.state;
    return outcome;
  };

  for (const step of scenario.steps) {
    let result: Result<unknown> | undefined;
    if (step.kind === "wait") nowMs += step.durationMs;
    else if (step.kind === "traffic" && step.during !== undefined) result = operate(step.during);
    else if (step.kind === "upload" || step.kind === "deploy" || step.kind === "rollback" || step.kind === "secret") result = operate(step);
    if (result !== undefined && !result.ok) refusals[step.index] = result.error.code;
  }
  return { versions, refusals };
}
