/**
 * The account API's JSON, shaped like Cloudflare's (and so like wrangler's `--json` output):
 * versions with `id`, `number`, `metadata`, `annotations`, `resources`; deployments with
 * `versions: [{ version_id, percentage }]`; every answer in the `{ success, errors, messages,
 * result }` envelope. Built from the model's values; nothing here decides anything.
 */
import { strategyOf, type CodeUpdateStrategy } from "../model/code-update-strategy.js";
import type { DosimError } from "../model/errors.js";
import type { DeploymentEffect } from "../model/ledger.js";
import type { Deployment, DeploymentSource, Version, VersionTrigger } from "../model/types.js";

/** Who made every version and deployment of a local account. */
export const LOCAL_AUTHOR = "dosim@localhost";

/** A version as the account API lists it. */
export interface ApiVersion {
  readonly id: string;
  readonly number: number;
  readonly metadata: {
    readonly created_on: string;
    readonly modified_on: string;
    readonly source: string;
    readonly author_id: string;
    readonly author_email: string;
  };
  readonly annotations: Readonly<Record<string, string>>;
  readonly resources: {
    /** Vars (`plain_text`), secrets (`secret_text`, never a value) and every other binding the config declares, as the API names them. */
    readonly bindings: readonly { readonly type: string; readonly name: string; readonly [field: string]: string }[];
    readonly script: { readonly etag: string; readonly handlers: readonly string[]; readonly last_deployed_from: string };
  };
}

/** A deployment as the account API lists it. */
export interface ApiDeployment {
  readonly id: string;
  readonly source: string;
  readonly strategy: "percentage";
  readonly author_email: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly created_on: string;
  readonly versions: readonly { readonly version_id: string; readonly percentage: number }[];
  /** How Durable Objects switch code in this deployment, as the platform's API names it (`max_delay` in seconds). */
  readonly code_update_strategy: CodeUpdateStrategy;
}

/** One object in a deployment's effect, named when the ledger knows its name. */
export interface ApiObjectChange {
  readonly object_id: string;
  readonly name?: string;
  readonly from: string;
  readonly to: string;
}

/** What a deployment did (or, for a dry run, would do) to the Durable Objects the ledger knows. */
export interface ApiEffect {
  readonly objects_known: number;
  readonly moved: readonly ApiObjectChange[];
  readonly reset: readonly (ApiObjectChange & { readonly live: boolean })[];
  readonly deferred: readonly (ApiObjectChange & { readonly deadline: string })[];
}

/** The envelope of every answer. */
export interface ApiEnvelope<T> {
  readonly success: boolean;
  readonly errors: readonly { readonly code: string; readonly message: string; readonly details?: unknown }[];
  readonly messages: readonly string[];
  readonly result: T | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * `workers/triggered_by`, as the platform's API answers it. The API schema only calls it a string
 * ("Operation that triggered the creation of the version"; cloudflare/api-schemas openapi.yaml), so
 * the values are the ones real answers carry: a version from `versions upload` says
 * "version_upload", one from a full deploy (the Scripts `PUT` behind `wrangler deploy`) says
 * "upload" (as in wrangler's own fixtures and its `formatTrigger`), and one from a secret change
 * "secret"; a deployment says "deployment", "rollback" or "secret".
 */
const VERSION_TRIGGER: Record<VersionTrigger, string> = {
  upload: "version_upload",
  deploy: "upload",
  secret: "secret",
};
const DEPLOYMENT_TRIGGER: Record<DeploymentSource, string> = {
  deploy: "deployment",
  "versions-deploy": "deployment",
  rollback: "rollback",
  secret: "secret",
};

/** A model version as the API shows it (secret values never leave the server). */
export function apiVersion(version: Version): ApiVersion {
  const annotations: Record<string, string> = { "workers/triggered_by": VERSION_TRIGGER[version.triggeredBy] };
  if (version.tag !== undefined) annotations["workers/tag"] = version.tag;
  if (version.message !== undefined) annotations["workers/message"] = version.message;
  return {
    id: version.id,
    number: version.number,
    metadata: { created_on: iso(version.createdAtMs), modified_on: iso(version.createdAtMs), source: "dosim", author_id: "local", author_email: LOCAL_AUTHOR },
    annotations,
    resources: {
      bindings: [
        ...Object.entries(version.vars).map(([name, text]) => ({ type: "plain_text" as const, name, text })),
        ...Object.keys(version.secrets).map((name) => ({ type: "secret_text" as const, name })),
        ...(version.bindings ?? []),
      ],
      script: { etag: version.id.replaceAll("-", ""), handlers: ["fetch"], last_deployed_from: "dosim" },
    },
  };
}

/** A model deployment as the API shows it. */
export function apiDeployment(deployment: Deployment): ApiDeployment {
  const annotations: Record<string, string> = { "workers/triggered_by": DEPLOYMENT_TRIGGER[deployment.source] };
  if (deployment.message !== undefined) annotations["workers/message"] = deployment.message;
  return {
    id: deployment.id,
    source: "dosim",
    strategy: "percentage",
    author_email: LOCAL_AUTHOR,
    annotations,
    created_on: iso(deployment.createdAtMs),
    versions: deployment.entries.map((entry) => ({ version_id: entry.versionId, percentage: entry.percentage })),
    code_update_strategy: strategyOf(deployment.codeUpdate),
  };
}

/** A deployment's effect, with object names looked up in `names`. */
export function apiEffect(effect: DeploymentEffect, names: Readonly<Record<string, string | undefined>>, objectsKnown: number): ApiEffect {
  const named = (objectId: string) => (names[objectId] !== undefined ? { object_id: objectId, name: names[objectId] } : { object_id: objectId });
  // Indexed once: a deployment can defer thousands of objects. The first move of an object wins.
  const movedFrom = new Map<string, string>();
  for (const move of effect.moves) if (!movedFrom.has(move.objectId)) movedFrom.set(move.objectId, move.from);
  return {
    objects_known: objectsKnown,
    moved: effect.moves.map((move) => ({ ...named(move.objectId), from: move.from, to: move.to })),
    reset: effect.resets.map((reset) => ({ ...named(reset.objectId), from: reset.from, to: reset.to, live: reset.live })),
    deferred: effect.deferred.map(({ objectId, pending }) => ({
      ...named(objectId),
      from: movedFrom.get(objectId) ?? "",
      to: pending.to,
      deadline: iso(pending.deadlineMs),
    })),
  };
}

/** A successful answer. */
export function success<T>(result: T): ApiEnvelope<T> {
  return { success: true, errors: [], messages: [], result };
}

/** A refused answer carrying the model's error. */
export function failure(error: { code: string; message: string; details?: DosimError["details"] }): ApiEnvelope<never> {
  return { success: false, errors: [{ code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details }) }], messages: [], result: null };
}
