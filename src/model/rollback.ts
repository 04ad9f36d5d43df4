/**
 * `rollback`: a new 100% deployment of an earlier version. Without a target it picks the newest
 * earlier deployment that ran one version at exactly 100%. It respects the deployable window and
 * the migration barrier, and asks for force when the target's secrets differ from those of the
 * deployed version(s).
 */
import { checkDeployable } from "./deployable.js";
import { fail, type Result } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { deployableVersions } from "./deployable.js";
import { resolveVersionRef } from "./deployment-spec.js";
import { findVersion } from "./versions.js";
import { deployVersions, type DeployOptions, type DeployOutcome } from "./deploy.js";
import type { ModelContext, Version, WorkerState } from "./types.js";

/** What a rollback may be told. */
export interface RollbackOptions extends DeployOptions {
  /**
   * The version to roll back to, resolved like a deployment spec's reference: a label from
   * `labels`, a version id, or the tag of one deployable version. By default the newest earlier
   * deployment's 100% version.
   */
  readonly to?: string;
  /** Roll back even when the target's secrets differ from the deployed ones (10220). */
  readonly force?: boolean;
}

/**
 * The version a rollback with no target goes to, if any: a version at exactly 100% in the newest
 * earlier deployment that has one (a 100% entry beside a 0% one counts, as in wrangler). dosim
 * searches every earlier deployment; wrangler searches those the deployments API returns.
 */
export function defaultRollbackTarget(state: WorkerState): Version | undefined {
  for (let index = state.deployments.length - 2; index >= 0; index--) {
    const whole = state.deployments[index]!.entries.find((entry) => entry.percentage === 100);
    if (whole !== undefined) return findVersion(state, whole.versionId);
  }
  return undefined;
}

/** The versions the active deployment sends traffic to (a 0% entry serves only overrides). */
export function deployedVersions(state: WorkerState): Version[] {
  const active = state.deployments[state.deployments.length - 1];
  return (active?.entries ?? [])
    .filter((entry) => entry.percentage > 0)
    .flatMap((entry) => findVersion(state, entry.versionId) ?? []);
}

/** Names of secrets whose presence or value differs between two versions. */
export function changedSecrets(a: Version, b: Version): string[] {
  const names = new Set([...Object.keys(a.secrets), ...Object.keys(b.secrets)]);
  return [...names].filter((name) => a.secrets[name] !== b.secrets[name]).sort();
}

/** Rolls back to a target version, as a new 100% deployment with source `rollback`. */
export function rollback(
  state: WorkerState,
  options: RollbackOptions,
  ctx: ModelContext,
  limits: Limits = DEFAULT_LIMITS,
): Result<DeployOutcome> {
  if (state.deployments.length === 0) {
    return fail("not-deployed-yet", `${state.name} has never been deployed, so there is nothing to roll back.`);
  }
  let target: Version | undefined;
  if (options.to === undefined) {
    target = defaultRollbackTarget(state);
    if (target === undefined) return fail("no-rollback-target", "No earlier deployment ran a single version at 100%; name the version to roll back to.");
  } else {
    const resolved = resolveVersionRef(state, options.to, deployableVersions(state, limits), options.labels);
    if (!resolved.ok) return resolved;
    target = resolved.value;
  }
  const allowed = checkDeployable(state, target, limits);
  if (!allowed.ok) return allowed;
  // wrangler asks for confirmation when the target's secrets differ from those of the currently
  // deployed version(s): every version that takes traffic in the active deployment.
  const changed = [...new Set(deployedVersions(state).flatMap((deployed) => changedSecrets(target, deployed)))].sort();
  if (changed.length > 0 && options.force !== true) {
    return fail(
      "10220",
      `The secrets of version ${target.id} differ from those of the deployed version(s) (${changed.join(", ")}); a rollback to it must be confirmed (forced) to accept them.`,
      { versionId: target.id, secrets: changed },
    );
  }
  return deployVersions(
    state,
    [{ ref: target.id, percentage: 100 }],
    ctx,
    { ...(options.message !== undefined && { message: options.message }), ...(options.codeUpdate && { codeUpdate: options.codeUpdate }) },
    limits,
    "rollback",
  );
}

