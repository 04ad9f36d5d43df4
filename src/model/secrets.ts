/**
 * Secrets are per version. `versions secret put/delete/bulk` make a new, undeployed version from
 * the newest one (keeping its tag unless another is given); the plain `secret put/delete/bulk`
 * also deploy it, and are refused (10215) while the newest version is not the one deployed at 100%.
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

/**
 * A change to a version's secrets, as wrangler's secret commands send it: values to set, and names
 * to delete (a JSON merge patch where null deletes). Names to delete that the version lacks are
 * left alone, as a merge patch leaves them.
 */
export interface SecretChange {
  readonly set: Readonly<Record<string, string>>;
  readonly delete: readonly string[];
}

/** Annotations of a secret change's version: the tag is the newest version's unless one is given (as wrangler inherits it). */
export interface SecretVersionOptions {
  readonly message?: string;
  readonly tag?: string;
}

/** The change of `secret put NAME`. */
export function setOne(name: string, value: string): SecretChange {
  return { set: { [name]: value }, delete: [] };
}

function checkNames(change: SecretChange): Result<void> {
  for (const name of [...Object.keys(change.set), ...change.delete]) {
    if (!SECRET_NAME.test(name)) {
      return fail("invalid-secret-name", `"${name}" is not a valid secret name; use letters, digits and underscores.`, { name });
    }
  }
  return ok(undefined);
}

/** `versions secret put/delete/bulk`: a new version like the newest one, with its secrets changed. */
export function changeVersionSecrets(
  state: WorkerState,
  change: SecretChange,
  ctx: ModelContext,
  options: SecretVersionOptions = {},
  limits: Limits = DEFAULT_LIMITS,
): Result<SecretOutcome> {
  const names = checkNames(change);
  if (!names.ok) return names;
  const base = latestVersion(state);
  if (base === undefined) {
    return fail("not-deployed-yet", `${state.name} has no version yet; deploy it before setting secrets.`);
  }
  const changed = [...Object.keys(change.set), ...change.delete.map((name) => `-${name}`)].join(", ");
  const tag = options.tag ?? base.tag;
  const built = buildVersion(
    state,
    {
      vars: base.vars,
      secrets: change.set,
      message: options.message ?? `Secret change: ${changed}`,
      ...(tag !== undefined && { tag }),
      ...(base.migrationTag !== undefined && { migrationTag: base.migrationTag }),
      ...(base.source !== undefined && { source: base.source }),
      ...(base.bindings !== undefined && { bindings: base.bindings }),
    },
    "secret",
    ctx,
    limits,
  );
  if (!built.ok) return built;
  const secrets = Object.fromEntries(Object.entries(built.value.secrets).filter(([name]) => !change.delete.includes(name) || name in change.set));
  const version: Version = { ...built.value, secrets };
  return ok({ state: { ...state, versions: [...state.versions, version] }, version });
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
  return changeVersionSecrets(state, setOne(name, value), ctx, options, limits);
}

/** `secret put/delete/bulk`: changes the secrets on a new version and deploys it at 100%. */
export function changeSecrets(
  state: WorkerState,
  change: SecretChange,
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
      "Secret edit failed. You attempted to modify a secret, but the latest version of your Worker isn't currently deployed. Use `dosim versions secret put` (which does not deploy) and deploy that version, or deploy the latest version first, then modify secrets.",
      { latestVersionId: newest?.id },
    );
  }
  const created = changeVersionSecrets(state, change, ctx, {}, limits);
  if (!created.ok) return created;
  const deployed = deployVersions(created.value.state, [{ ref: created.value.version.id, percentage: 100 }], ctx, codeUpdate !== undefined ? { codeUpdate } : {}, limits, "secret");
  if (!deployed.ok) return deployed;
  return ok({ state: deployed.value.state, version: created.value.version, deployment: deployed.value.deployment });
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
  return changeSecrets(state, setOne(name, value), ctx, limits, codeUpdate);
}
