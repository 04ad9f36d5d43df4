/**
 * Deployments: `versions deploy` (1–2 existing versions with percentages) and the full `deploy`
 * (a new version at 100%, the only way to apply a Durable Object migration).
 */
import { checkDeployable, deployableVersions } from "./deployable.js";
import { DEFAULT_CODE_UPDATE } from "./code-update.js";
import { parseDeploymentSpec, resolveVersionRef, type SpecItem } from "./deployment-spec.js";
import { fail, ok, type Result } from "./errors.js";
import { isPlatformPercentage } from "./percentage.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { buildVersion, introducesMigration, type VersionInput } from "./versions.js";
import type { CodeUpdate, Deployment, DeploymentEntry, DeploymentSource, ModelContext, Version, WorkerState } from "./types.js";

/** The state after a deployment, and the deployment it created. */
export interface DeployOutcome {
  readonly state: WorkerState;
  readonly deployment: Deployment;
  /** The version a full deploy created; absent for `versions deploy` and rollback. */
  readonly version?: Version;
}

/** Options shared by every kind of deployment. */
export interface DeployOptions {
  readonly message?: string;
  readonly codeUpdate?: CodeUpdate;
  /** Labels the user gave versions (scenarios, `plan`): label → version id. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Checks one percentage by the platform's rule (./percentage.ts), and the decimals limit when a scenario sets one. */
function checkPercentage(item: SpecItem, limits: Limits): Result<number> {
  const value = item.percentage;
  if (value === undefined || !isPlatformPercentage(value)) {
    return fail("invalid-percentage", `The percentage of ${item.ref} must be between 0 and 100 (got ${value}).`, {
      ref: item.ref,
      percentage: value,
    });
  }
  const decimals = limits.percentageDecimals;
  if (decimals !== undefined && Math.abs(Math.round(value * 10 ** decimals) - value * 10 ** decimals) > 1e-6) {
    return fail(
      "invalid-percentage",
      `The percentage of ${item.ref} (${value}) has more than ${decimals} decimals, the limit this scenario sets; round it.`,
      { ref: item.ref, percentage: value },
    );
  }
  return ok(value);
}

/**
 * Validates a parsed spec against the Worker and returns the deployment's entries in listed order.
 * A version listed twice is refused: the docs are silent, and wrangler (which keys traffic by
 * version id) would silently keep one entry; dosim says so instead.
 */
export function resolveEntries(
  state: WorkerState,
  items: readonly SpecItem[],
  options: Pick<DeployOptions, "labels"> = {},
  limits: Limits = DEFAULT_LIMITS,
): Result<DeploymentEntry[]> {
  if (items.length === 0) return fail("no-versions", "No version was selected; give at least one, for example A@100.");
  if (items.length > limits.maxVersionsPerDeployment) {
    return fail(
      "too-many-versions",
      `You can deploy at most ${limits.maxVersionsPerDeployment} versions at a time (got ${items.length}); drop one.`,
      { count: items.length },
    );
  }
  const deployable = deployableVersions(state, limits);
  const entries: DeploymentEntry[] = [];
  for (const item of items) {
    const percentage = checkPercentage(item, limits);
    if (!percentage.ok) return percentage;
    const version = resolveVersionRef(state, item.ref, deployable, options.labels);
    if (!version.ok) return version;
    const allowed = checkDeployable(state, version.value, limits);
    if (!allowed.ok) return allowed;
    if (entries.some((entry) => entry.versionId === version.value.id)) {
      return fail("duplicate-version", `Version ${item.ref} is listed twice; list each version once.`, { ref: item.ref });
    }
    entries.push({ versionId: version.value.id, percentage: percentage.value });
  }
  const sum = entries.reduce((total, entry) => total + entry.percentage, 0);
  if (Math.abs(sum - 100) > limits.percentageSumTolerance + 1e-9) {
    const shown = Math.round(sum * 1000) / 1000;
    return fail("percentage-sum", `The percentages add up to ${shown}% but must total exactly 100%.`, { sum: shown });
  }
  return ok(entries);
}

/** Appends a deployment to the Worker. */
function appendDeployment(
  state: WorkerState,
  entries: readonly DeploymentEntry[],
  source: DeploymentSource,
  options: DeployOptions,
  ctx: ModelContext,
): DeployOutcome {
  const deployment: Deployment = {
    id: ctx.newId(),
    createdAtMs: ctx.nowMs,
    source,
    ...(options.message !== undefined && { message: options.message }),
    entries,
    codeUpdate: options.codeUpdate ?? DEFAULT_CODE_UPDATE,
  };
  return { state: { ...state, deployments: [...state.deployments, deployment] }, deployment };
}

/** `versions deploy`: splits traffic between 1 or 2 uploaded versions (a spec string or items). */
export function deployVersions(
  state: WorkerState,
  spec: string | readonly string[] | readonly SpecItem[],
  ctx: ModelContext,
  options: DeployOptions = {},
  limits: Limits = DEFAULT_LIMITS,
  source: DeploymentSource = "versions-deploy",
): Result<DeployOutcome> {
  if (state.deployments.length === 0) {
    return fail("not-deployed-yet", `${state.name} has never been deployed; its first deployment must be a full deploy (dosim deploy).`);
  }
  const items = isSpecText(spec) ? parseDeploymentSpec(spec) : ok([...spec]);
  if (!items.ok) return items;
  const entries = resolveEntries(state, items.value, options, limits);
  if (!entries.ok) return entries;
  return ok(appendDeployment(state, entries.value, source, options, ctx));
}

function isSpecText(spec: string | readonly string[] | readonly SpecItem[]): spec is string | readonly string[] {
  return typeof spec === "string" || spec.every((item) => typeof item === "string");
}

/**
 * Full `deploy`: uploads a new version and deploys it at 100% at once. When its config adds a
 * migration, the migration is applied and every older version falls behind the barrier.
 */
export function fullDeploy(
  state: WorkerState,
  input: VersionInput,
  ctx: ModelContext,
  options: Omit<DeployOptions, "labels"> = {},
  limits: Limits = DEFAULT_LIMITS,
): Result<DeployOutcome> {
  const built = buildVersion(state, input, "deploy", ctx, limits);
  if (!built.ok) return built;
  const version = built.value;
  const migrated = introducesMigration(state, input.migrationTag);
  const withVersion: WorkerState = {
    ...state,
    versions: [...state.versions, version],
    ...(migrated && { appliedMigrationTag: input.migrationTag, migrationBarrierNumber: version.number }),
  };
  const outcome = appendDeployment(withVersion, [{ versionId: version.id, percentage: 100 }], "deploy", options, ctx);
  return ok({ ...outcome, version });
}
