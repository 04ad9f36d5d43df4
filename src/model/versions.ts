/**
 * Uploading versions: `versions upload` (never deploys) and the version half of a full `deploy`.
 * Annotations are checked and trimmed here, and the migration rule lives here: a versioned upload
 * may not introduce a Durable Object migration (Cloudflare API error 10211).
 */
import { fail, ok, type Result } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { truncateUtf8, utf8ByteLength } from "./utf8.js";
import type { DeclaredBinding, ModelContext, Version, VersionTrigger, WorkerState } from "./types.js";

/** What an upload carries besides its code. */
export interface VersionInput {
  readonly tag?: string;
  readonly message?: string;
  readonly vars?: Readonly<Record<string, string>>;
  /** Secrets to set on this version; the rest are inherited from the newest version. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** The newest migration tag in the uploaded config, if it declares migrations. */
  readonly migrationTag?: string;
  readonly source?: string;
  /** The bindings the config declares besides vars and secrets. */
  readonly bindings?: readonly DeclaredBinding[];
}

/** The state after an upload, and the version it created. */
export interface UploadOutcome {
  readonly state: WorkerState;
  readonly version: Version;
}

/** The newest uploaded version, if any. */
export function latestVersion(state: WorkerState): Version | undefined {
  return state.versions[state.versions.length - 1];
}

/** Finds a version by id. */
export function findVersion(state: WorkerState, versionId: string): Version | undefined {
  return state.versions.find((version) => version.id === versionId);
}

/** True when the config's migration tag differs from the one the platform has applied. */
export function introducesMigration(state: WorkerState, migrationTag: string | undefined): boolean {
  return migrationTag !== undefined && migrationTag !== state.appliedMigrationTag;
}

/**
 * Builds the next version from `input`, inheriting secrets from the newest version, after checking
 * the annotations. Does not look at migrations: callers decide whether one is allowed.
 */
export function buildVersion(
  state: WorkerState,
  input: VersionInput,
  triggeredBy: VersionTrigger,
  ctx: ModelContext,
  limits: Limits = DEFAULT_LIMITS,
): Result<Version> {
  if (input.tag !== undefined && utf8ByteLength(input.tag) > limits.maxTagBytes) {
    return fail(
      "tag-too-long",
      `The version tag is ${utf8ByteLength(input.tag)} bytes long; shorten it to at most ${limits.maxTagBytes} bytes.`,
      { tag: input.tag, maxBytes: limits.maxTagBytes },
    );
  }
  const previous = latestVersion(state);
  const version: Version = {
    id: ctx.newId(),
    number: (previous?.number ?? 0) + 1,
    ...(input.tag !== undefined && { tag: input.tag }),
    ...(input.message !== undefined && { message: truncateUtf8(input.message, limits.maxMessageBytes) }),
    triggeredBy,
    createdAtMs: ctx.nowMs,
    vars: { ...(input.vars ?? {}) },
    secrets: { ...(previous?.secrets ?? {}), ...(input.secrets ?? {}) },
    ...(input.migrationTag !== undefined && { migrationTag: input.migrationTag }),
    ...(input.source !== undefined && { source: input.source }),
    ...(input.bindings !== undefined && input.bindings.length > 0 && { bindings: input.bindings }),
  };
  return ok(version);
}

/** Why `versions upload` refuses `input` whatever its code: it adds a migration (10211). */
export function uploadMigrationRefusal(state: WorkerState, input: Pick<VersionInput, "migrationTag">): Result<never> | undefined {
  if (!introducesMigration(state, input.migrationTag)) return undefined;
  return fail(
    "10211",
    `This upload adds the Durable Object migration "${input.migrationTag}"; migrations must be applied with a full deploy (dosim deploy), not a versioned upload.`,
    { migrationTag: input.migrationTag, appliedMigrationTag: state.appliedMigrationTag },
  );
}

/** `versions upload`: records a new version without deploying it. */
export function uploadVersion(
  state: WorkerState,
  input: VersionInput,
  ctx: ModelContext,
  limits: Limits = DEFAULT_LIMITS,
): Result<UploadOutcome> {
  const refused = uploadMigrationRefusal(state, input);
  if (refused !== undefined) return refused;
  const built = buildVersion(state, input, "upload", ctx, limits);
  if (!built.ok) return built;
  return ok({ state: { ...state, versions: [...state.versions, built.value] }, version: built.value });
}
