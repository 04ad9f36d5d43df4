/**
 * Errors are values: every refusal the platform (or dosim) makes carries a stable `code` and a
 * one-line message that tells the user what to do next. Codes that mirror a Cloudflare API error
 * keep Cloudflare's number, written as a string ("10211"); the others are kebab-case names.
 */

/** Every stable error code dosim can return. Adding one is fine; renaming one breaks users. */
export const ERROR_CODES = [
  // Cloudflare's own numbers.
  "10021", // an uploaded Worker that fails to start (throws while its module loads)
  "10211", // a versioned upload that adds a Durable Object migration
  "10215", // `secret put` while the latest version is not the deployed one
  "10220", // rollback to a version whose secrets differ, without force
  // Deployment specs.
  "invalid-version-spec",
  "no-versions",
  "too-many-versions",
  "duplicate-version",
  "invalid-percentage",
  "percentage-sum",
  "unknown-version",
  "ambiguous-version-tag",
  "version-outside-window",
  "version-before-migration",
  "not-deployed-yet",
  // Versions.
  "tag-too-long",
  "invalid-secret-name",
  "unknown-secret",
  // Rollback.
  "no-rollback-target",
  // Code updates.
  "invalid-code-update",
  // Durable Object class migrations.
  "invalid-migration",
  "transferred-classes-unsupported",
  "class-exports-unsupported",
  // Check plans.
  "invalid-plan",
  // Object ids.
  "invalid-object-id",
  // Anything else the user gave us that we cannot read.
  "invalid-input",
] as const;

/** A stable error code (see {@link ERROR_CODES}). */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A refusal: what went wrong, in one line that says what to do, under a stable code. */
export interface DosimError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Structured facts about the refusal (the version, the sum...), for JSON output and tests. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The outcome of an operation that can be refused. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DosimError };

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a refused {@link Result}. */
export function fail<T = never>(code: ErrorCode, message: string, details?: Record<string, unknown>): Result<T> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}
