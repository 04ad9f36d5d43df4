/**
 * One scenario operation (upload, deploy, rollback, secret) as the model call it stands for. The
 * dry run and the model-only replay in the tests both map steps to model calls through here, so a
 * step means the same thing to both: the same labels, messages, code-update checks and full-deploy
 * label. What ids the model gets is the caller's business (the `ctx` callback).
 */
import { resolveCodeUpdate } from "../model/code-update.js";
import { deployVersions, fullDeploy } from "../model/deploy.js";
import type { DosimError, Result } from "../model/errors.js";
import type { Limits } from "../model/limits.js";
import { rollback } from "../model/rollback.js";
import { putSecret, putVersionSecret } from "../model/secrets.js";
import type { Deployment, ModelContext, Version, VersionId, WorkerState } from "../model/types.js";
import { uploadVersion, type VersionInput } from "../model/versions.js";
import type { DeployStep, RollbackStep, SecretStep, UploadStep } from "./types.js";

/** A step that changes the Worker's versions or deployments. */
export type OperationStep = UploadStep | DeployStep | RollbackStep | SecretStep;

/** True for the steps {@link runOperation} carries out. */
export function isOperationStep(step: { readonly kind: string }): step is OperationStep {
  return step.kind === "upload" || step.kind === "deploy" || step.kind === "rollback" || step.kind === "secret";
}

/** What an operation needs besides the Worker and the step. */
export interface OperationContext {
  readonly limits: Limits;
  /** Label → the newest version made under it, as operations name versions. */
  readonly labels: Readonly<Record<string, VersionId>>;
  /** The model's upload input for a declared label. */
  readonly inputOf: (label: string) => VersionInput;
  /** The model context of one call; `makesVersion` is true when the call creates a version. */
  readonly ctx: (makesVersion: boolean) => ModelContext;
  /** Called for each version the operation makes, in order, as soon as it is made. */
  readonly onVersion?: (made: MadeVersion) => void;
}

/** A version an operation made. */
export interface MadeVersion {
  readonly version: Version;
  /** The label it is made under; absent for a secret step without one. */
  readonly label?: string;
  /**
   * The declared label whose code it runs; absent for a secret step, whose version runs the code
   * of `basedOn` (the newest version when the secret was set).
   */
  readonly codeLabel?: string;
  readonly basedOn?: VersionId;
}

/**
 * The Worker after an operation, the deployment it made, if any, and its refusal, if refused. A
 * refused operation leaves the Worker as it was, except an `upload` with a count: the copies made
 * before the refused one stay, as they would on the platform.
 */
export interface OperationOutcome {
  readonly state: WorkerState;
  readonly deployment?: Deployment;
  readonly error?: DosimError;
}

/** Runs `step` on `worker`. */
export function runOperation(worker: WorkerState, step: OperationStep, op: OperationContext): OperationOutcome {
  const made = (version: Version, extra: Omit<MadeVersion, "version">): void => op.onVersion?.({ version, ...extra });
  if (step.kind === "upload") return runUpload(worker, step, op, made);
  if (step.kind === "secret") {
    const base = worker.versions[worker.versions.length - 1];
    const message = step.message !== undefined ? { message: step.message } : {};
    const outcome = step.versioned
      ? putVersionSecret(worker, step.secretName, step.value, op.ctx(true), message, op.limits)
      : putSecret(worker, step.secretName, step.value, op.ctx(true), op.limits, step.codeUpdate);
    if (!outcome.ok) return { state: worker, error: outcome.error };
    made(outcome.value.version, { ...(step.label !== undefined && { label: step.label }), ...(base !== undefined && { basedOn: base.id }) });
    return { state: outcome.value.state, ...(outcome.value.deployment !== undefined && { deployment: outcome.value.deployment }) };
  }
  const codeUpdate = resolveCodeUpdate(step.codeUpdate, op.limits);
  if (!codeUpdate.ok) return { state: worker, error: codeUpdate.error };
  const message = step.message !== undefined ? { message: step.message } : {};
  if (step.kind === "rollback") {
    const target = step.target === undefined ? {} : { to: step.target, labels: op.labels };
    return deployed(worker, rollback(worker, { ...target, force: step.force, codeUpdate: codeUpdate.value, ...message }, op.ctx(false), op.limits));
  }
  if (step.full) {
    const label = step.entries?.[0]?.label ?? step.spec;
    const outcome = fullDeploy(worker, op.inputOf(label), op.ctx(true), { codeUpdate: codeUpdate.value, ...message }, op.limits);
    if (outcome.ok) made(outcome.value.version!, { label, codeLabel: label });
    return deployed(worker, outcome);
  }
  const options = { codeUpdate: codeUpdate.value, labels: { ...op.labels }, ...message };
  return deployed(worker, deployVersions(worker, step.spec, op.ctx(false), options, op.limits));
}

/** The outcome of a call that makes a deployment. */
function deployed(worker: WorkerState, result: Result<{ state: WorkerState; deployment: Deployment }>): OperationOutcome {
  return result.ok ? { state: result.value.state, deployment: result.value.deployment } : { state: worker, error: result.error };
}

/** `upload` (possibly `count` times): each copy is a new version of the label's code. */
function runUpload(
  worker: WorkerState,
  step: UploadStep,
  op: OperationContext,
  made: (version: Version, extra: Omit<MadeVersion, "version">) => void,
): OperationOutcome {
  let state = worker;
  for (let n = 0; n < step.count; n++) {
    const uploaded = uploadVersion(state, op.inputOf(step.label), op.ctx(true), op.limits);
    if (!uploaded.ok) return { state, error: uploaded.error };
    state = uploaded.value.state;
    made(uploaded.value.version, { label: step.label, codeLabel: step.label });
  }
  return { state };
}
