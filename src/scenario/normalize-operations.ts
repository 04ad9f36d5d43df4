/**
 * The operation steps (upload, deploy, rollback, secret) as a runner reads them, with the checks
 * that need the steps' order: a label is uploaded before a `versions deploy` names it, the first
 * deploy is a full one, and a spec follows the deployment rules. A step that expects a refusal is
 * exempt from the order and spec checks (it is meant to break them) and changes nothing.
 */
import { resolveEntries } from "../model/deploy.js";
import { formatDeploymentSpec } from "../model/deployment-spec.js";
import { withLimits } from "../model/limits.js";
import type { CodeUpdate, WorkerState } from "../model/types.js";
import type { CheckContext, Path } from "./check-context.js";
import { actionExpectation, deploymentEntries } from "./normalize-expect.js";
import type { StepFile } from "./schema.js";
import type { DeployStep, LabelledEntry, RollbackStep, SecretStep, SourceLocation, UploadStep } from "./types.js";

/** What the steps so far have done, as far as the checks need to know. */
export interface Progress {
  deployed: boolean;
  /** Set once a step is skipped for failing the schema: order checks would then only guess. */
  lenient: boolean;
  readonly uploaded: Set<string>;
  readonly defaultCodeUpdate: CodeUpdate;
}

/** The fields every step shares. */
export interface StepHead {
  readonly index: number;
  readonly at: SourceLocation;
  readonly name?: string;
}

type Of<K extends string> = Extract<StepFile, Record<K, unknown>>;

/** Reports a step that needs a deployed Worker when none is deployed yet, with the fix. */
export function requireDeployed(ctx: CheckContext, progress: Progress, path: Path, what: string): void {
  if (!progress.deployed) ctx.report(path, `${what} needs a deployed Worker; deploy a version first (the first deploy is a full deploy at 100%)`, "step-order");
}

/** An `upload` step; only declared labels can be uploaded. */
export function uploadStep(ctx: CheckContext, progress: Progress, head: StepHead, step: Of<"upload">, path: Path): UploadStep {
  const refused = step.expect?.refused !== undefined;
  if (!ctx.declared.has(step.upload)) {
    // Even an upload meant to be refused needs a declaration: it says what to upload.
    const made = ctx.labels.includes(step.upload) ? "; it was made by a secret step, and only declared versions can be uploaded" : "; declare it there";
    ctx.report([...path, "upload"], `"${step.upload}" is not declared under versions${made}`, "undeclared-label");
  } else if (!refused) progress.uploaded.add(step.upload);
  const expect = actionExpectation(ctx, step.expect, [...path, "expect"]);
  return { kind: "upload", ...head, label: step.upload, count: step.count ?? 1, ...(expect !== undefined && { expect }) };
}

/** A `deploy` step: full (the first one, or `full: true`) or `versions deploy`, checked by the model's rules. */
export function deployStep(ctx: CheckContext, progress: Progress, head: StepHead, step: Of<"deploy">, path: Path): DeployStep {
  const refused = step.expect?.refused !== undefined;
  const specPath = [...path, "deploy"];
  const entries = deploymentEntries(ctx, step.deploy, specPath, refused);
  const spec = entries === undefined ? String(step.deploy).trim() : formatDeploymentSpec(entries.map((entry) => ({ ref: entry.label, percentage: entry.percentage })));
  const full = step.full ?? !progress.deployed;
  if (refused && full && entries?.length === 1 && !ctx.declared.has(entries[0]!.label)) {
    ctx.report(specPath, `a full deploy uploads "${entries[0]!.label}" anew, so it must be declared under versions`, "undeclared-label");
  }
  if (!refused && entries !== undefined) {
    if (full) checkFullDeploy(ctx, progress, entries, specPath);
    else checkVersionsDeploy(ctx, progress, entries, specPath, step.full === false ? [...path, "full"] : specPath);
  }
  const expect = actionExpectation(ctx, step.expect, [...path, "expect"]);
  return {
    kind: "deploy",
    ...head,
    spec,
    ...(entries !== undefined && { entries }),
    full,
    ...(step.message !== undefined && { message: step.message }),
    codeUpdate: ctx.codeUpdate(step.codeUpdate, [...path, "codeUpdate"], progress.defaultCodeUpdate),
    ...(expect !== undefined && { expect }),
  };
}

function checkFullDeploy(ctx: CheckContext, progress: Progress, entries: readonly LabelledEntry[], path: Path): void {
  const only = entries[0]!;
  if (entries.length !== 1 || only.percentage !== 100) {
    const first = progress.deployed ? "a full deploy" : "the first deploy of a Worker is a full deploy; it";
    ctx.report(path, `${first} puts one version at 100%: write deploy: ${only.label}`, progress.deployed ? "invalid-version-spec" : "not-deployed-yet");
    return;
  }
  if (!ctx.declared.has(only.label)) {
    ctx.report(path, `a full deploy uploads "${only.label}" anew, so it must be declared under versions`, "undeclared-label");
    return;
  }
  progress.uploaded.add(only.label);
  progress.deployed = true;
}

function checkVersionsDeploy(ctx: CheckContext, progress: Progress, entries: readonly LabelledEntry[], path: Path, fullPath: Path): void {
  if (!progress.deployed) {
    ctx.report(fullPath, "the first deploy of a Worker is a full deploy of one version at 100%; drop full: false", "not-deployed-yet");
    return;
  }
  const missing = progress.lenient ? [] : entries.filter((entry) => !progress.uploaded.has(entry.label));
  for (const entry of missing) {
    ctx.report(path, `"${entry.label}" is deployed before it is uploaded; add "- upload: ${entry.label}" before this step`, "step-order");
  }
  if (missing.length > 0) return;
  // The deployment rules themselves come from the model, run against a Worker holding every label.
  const labels = Object.fromEntries(ctx.labels.map((label) => [label, `label:${label}`]));
  const state: WorkerState = {
    name: "scenario",
    versions: ctx.labels.map((label, index) => ({ id: `label:${label}`, number: index + 1, triggeredBy: "upload", createdAtMs: 0, vars: {}, secrets: {} })),
    deployments: [],
  };
  const limits = withLimits({ ...ctx.limits, deployableVersionWindow: Number.MAX_SAFE_INTEGER });
  const resolved = resolveEntries(state, entries.map((entry) => ({ ref: entry.label, percentage: entry.percentage })), { labels }, limits);
  if (!resolved.ok) {
    ctx.report(path, `${resolved.error.message} (If this step should be refused, add expect: { refused: ${resolved.error.code} }.)`, resolved.error.code);
  }
}

/** A `rollback` step, to a label or to the previous 100% version. */
export function rollbackStep(ctx: CheckContext, progress: Progress, head: StepHead, step: Of<"rollback">, path: Path): RollbackStep {
  const refused = step.expect?.refused !== undefined;
  if (!refused) {
    if (step.rollback !== null) ctx.checkLabel(step.rollback, [...path, "rollback"]);
    requireDeployed(ctx, progress, [...path, "rollback"], "a rollback");
  }
  const expect = actionExpectation(ctx, step.expect, [...path, "expect"]);
  return {
    kind: "rollback",
    ...head,
    ...(step.rollback !== null && { target: step.rollback }),
    ...(step.message !== undefined && { message: step.message }),
    force: step.force ?? false,
    codeUpdate: ctx.codeUpdate(step.codeUpdate, [...path, "codeUpdate"], progress.defaultCodeUpdate),
    ...(expect !== undefined && { expect }),
  };
}

/** A `secret` step; its `label` becomes usable by later steps. */
export function secretStep(ctx: CheckContext, progress: Progress, head: StepHead, step: Of<"secret">, path: Path): SecretStep {
  const refused = step.expect?.refused !== undefined;
  const versioned = step.versioned ?? false;
  if (!refused && !progress.deployed && (!versioned || progress.uploaded.size === 0)) {
    requireDeployed(ctx, progress, [...path, "secret"], versioned ? "versions secret put" : "secret put");
  }
  if (step.label !== undefined && !refused) {
    if (ctx.labels.includes(step.label)) ctx.report([...path, "label"], `the label "${step.label}" is already taken; choose another`, "duplicate-name");
    else {
      ctx.labels.push(step.label);
      progress.uploaded.add(step.label);
    }
  }
  const expect = actionExpectation(ctx, step.expect, [...path, "expect"]);
  return {
    kind: "secret",
    ...head,
    secretName: step.secret,
    value: step.value,
    versioned,
    ...(step.label !== undefined && { label: step.label }),
    ...(step.message !== undefined && { message: step.message }),
    codeUpdate: ctx.codeUpdate(step.codeUpdate, [...path, "codeUpdate"], progress.defaultCodeUpdate),
    ...(expect !== undefined && { expect }),
  };
}
