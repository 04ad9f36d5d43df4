/**
 * The platform's data, as plain serialisable values. Everything here can be stored as JSON by a
 * host (the control plane keeps it in SQLite) and handed back to the pure functions of the model.
 */

/** A version's UUID. */
export type VersionId = string;

/** What created a version (`workers/triggered_by`). */
export type VersionTrigger = "upload" | "deploy" | "secret";

/**
 * A binding a version's config declares besides its vars and secrets, as the platform's API lists
 * it in `resources.bindings`: its `type` (`durable_object_namespace`, `kv_namespace`, …), its
 * `name`, and that type's own fields (`class_name`, `namespace_id`, …).
 */
export interface DeclaredBinding {
  readonly type: string;
  readonly name: string;
  readonly [field: string]: string;
}

/** One uploaded version of a Worker. Storage contents are never part of a version. */
export interface Version {
  readonly id: VersionId;
  /** 1, 2, 3... in upload order, per Worker. */
  readonly number: number;
  /** `workers/tag` (at most 100 bytes). */
  readonly tag?: string;
  /** `workers/message` (truncated to 1000 bytes). */
  readonly message?: string;
  readonly triggeredBy: VersionTrigger;
  readonly createdAtMs: number;
  /** Plain-text vars of this version. */
  readonly vars: Readonly<Record<string, string>>;
  /** Secret values of this version (a local simulator keeps them in the clear). */
  readonly secrets: Readonly<Record<string, string>>;
  /** The newest Durable Object migration tag in this version's config, if any. */
  readonly migrationTag?: string;
  /** Where this version's code came from (a label, a path); opaque to the model. */
  readonly source?: string;
  /** The bindings its config declares besides vars and secrets (absent in older records). */
  readonly bindings?: readonly DeclaredBinding[];
}

/** One entry of a deployment: a version and its share of traffic, in percent. */
export interface DeploymentEntry {
  readonly versionId: VersionId;
  readonly percentage: number;
}

/** How a deployment treats Durable Objects whose version changes. */
export type CodeUpdate =
  | { readonly mode: "immediate" }
  | { readonly mode: "deferred"; readonly maxDelayMs: number };

/** What created a deployment. */
export type DeploymentSource = "deploy" | "versions-deploy" | "rollback" | "secret";

/** A deployment: 1 or 2 versions with percentages, in listed order (the order matters for DOs). */
export interface Deployment {
  readonly id: string;
  readonly createdAtMs: number;
  readonly source: DeploymentSource;
  readonly message?: string;
  readonly entries: readonly DeploymentEntry[];
  readonly codeUpdate: CodeUpdate;
}

/** Everything the platform knows about one Worker's versions and deployments. */
export interface WorkerState {
  readonly name: string;
  /** Oldest first. */
  readonly versions: readonly Version[];
  /** Oldest first; the last one is active. */
  readonly deployments: readonly Deployment[];
  /** The migration tag applied by the newest full deploy that carried one. */
  readonly appliedMigrationTag?: string;
  /** Versions numbered below this one predate the latest migration and cannot be deployed again. */
  readonly migrationBarrierNumber?: number;
}

/** What the model needs from its host for operations that create things. */
export interface ModelContext {
  /** The current time on the (virtual) clock. */
  readonly nowMs: number;
  /** A fresh UUID (hosts inject a seeded source so runs are reproducible). */
  readonly newId: () => string;
}

/** An empty Worker with no versions and no deployments. */
export function emptyWorker(name: string): WorkerState {
  return { name, versions: [], deployments: [] };
}

/** The active deployment, if the Worker was ever deployed. */
export function activeDeployment(state: WorkerState): Deployment | undefined {
  return state.deployments[state.deployments.length - 1];
}
