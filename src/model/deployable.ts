/**
 * Which versions can still be deployed: only the newest N uploads (the window), and none that
 * predates the latest Durable Object migration (the barrier). Both `versions deploy` and
 * `rollback` ask here.
 */
import { fail, ok, type Result } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { Version, WorkerState } from "./types.js";

/** The versions inside the deployable window and after the migration barrier, oldest first. */
export function deployableVersions(state: WorkerState, limits: Limits = DEFAULT_LIMITS): Version[] {
  return state.versions.filter((version) => checkDeployable(state, version, limits).ok);
}

/** Refuses a version that is outside the window or older than the latest migration. */
export function checkDeployable(state: WorkerState, version: Version, limits: Limits = DEFAULT_LIMITS): Result<Version> {
  const newest = state.versions[state.versions.length - 1]?.number ?? 0;
  const oldestDeployable = newest - limits.deployableVersionWindow + 1;
  if (version.number < oldestDeployable) {
    return fail(
      "version-outside-window",
      `Version ${version.id} (#${version.number}) is older than the newest ${limits.deployableVersionWindow} versions and can no longer be deployed; upload it again instead.`,
      { versionId: version.id, number: version.number, oldestDeployableNumber: oldestDeployable },
    );
  }
  if (state.migrationBarrierNumber !== undefined && version.number < state.migrationBarrierNumber) {
    return fail(
      "version-before-migration",
      `Version ${version.id} (#${version.number}) predates the Durable Object migration "${state.appliedMigrationTag}" and cannot be deployed again; deploy a newer version.`,
      { versionId: version.id, number: version.number, migrationBarrierNumber: state.migrationBarrierNumber },
    );
  }
  return ok(version);
}
