/**
 * Secrets are per version. `versions secret put` makes a new, undeployed version from the newest
 * one; a plain `secret put` also deploys it, and is refused (10215) while the newest version is
 * not the one deployed at 100%.
 */
import { fail, ok, type Result } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { activeDeployment, type CodeUpdate, type ModelContext, type Version, type WorkerState } from "./types.js";
import { buildVersion, latestVersion } from "./versions.js";
import { deployVersions, type DeployOutcome } from "./deploy.js";

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The state after a secret change, the version it created and, for `secret put`, the deployment. */
export interface SecretOutcome {
  readonly state: WorkerState;
  readonly version: Version;
  readonly deployment?: DeployOutcome["deployment"];
}

/** `versions secret put NAME`: a new version like the newest one, with the secret set. */
export function putVersionSecret(
  state: WorkerState,
  name: string,
  value: string,
  ctx: ModelContext,
  options: { message?: string } = {},
  limits: Limits = DEFAULT_LIMITS,
): Result<SecretOutcome> {
  if (!SECRET_NAME.test(name)) {
    return fail("invalid-secret-name", `"${name}" is not a valid secret name; use letters, digits and underscores.`, { name });
  }
  const base = latestVersion(state);
  if (base === undefined) {
    return fail("not-deployed-yet", `${state.name} has no version yet; deploy it before setting secrets.`);
  }
  const built = buildVersion(
    state,
    {
      vars: base.vars,
      secrets: { [name]: value },
      message: options.message ?? `Secret change: ${name}`,
      ...(base.migrationTag !== undefined && { migrationTag: base.migrationTag }),
      ...(base.source !== undefined && { source: base.source }),
    },
    "secret",
    ctx,
    limits,
  );
  if (!built.ok) return built;
  return ok({ state: { ...state, versions: [...state.versions, built.value] }, version: built.value });
}

/** `secret put NAME`: sets the secret on a new version and deploys it at 100%. */
export function putSecret(
  state: WorkerState,
  name: string,
  value: string,
  ctx: ModelContext,
  limits: Limits = DEFAULT_LIMITS,
  codeUpdate?: CodeUpdate,
): Result<SecretOutcome> {
  const newest = latestVersion(state);
  const active = activeDeployment(state);
  // The newest version must be the only one that gets traffic (a 0% companion takes none).
  const serving = active?.entries.filter((entry) => entry.percentage > 0) ?? [];
  const deployedWhole = newest !== undefined && serving.length === 1 && serving[0]!.versionId === newest.id;
  if (!deployedWhole) {
    return fail(
      "10215",
      "The latest version of this Worker is not the one deployed at 100%, so a plain secret put would change what runs; use `dosim versions secret put` and deploy that version.",
      { latestVersionId: newest?.id },
    );
  }
  const created = putVersionSecret(state, name, value, ctx, {}, limits);
  if (!created.ok) return created;
  const deployed = deployVersions(created.value.state, [{ ref: created.value.version.id, percentage: 100 }], ctx, codeUpdate !== undefined ? { codeUpdate } : {}, limits, "secret");
  if (!deployed.ok) return deployed;
  return ok({ state: deployed.value.state, version: created.value.version, deployment: deployed.value.deployment });
}
