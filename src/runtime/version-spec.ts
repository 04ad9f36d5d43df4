/**
 * From a {@link VersionSpec} (or a stored record of one) to the code a version runs and the input
 * the model records for it.
 */
import path from "node:path";
import type { VersionInput } from "../model/versions.js";
import { withMigrations } from "./class-lifecycle.js";
import { readWorkerSource, type WorkerSource } from "./config.js";
import { restoreSource, type StoredSource } from "./manifest.js";
import type { VersionSpec } from "./simulator-types.js";

/** The source a spec's code comes from. */
export function sourceOf(base: WorkerSource, spec: VersionSpec): WorkerSource {
  if (spec.config === undefined && spec.main === undefined && (spec.env === undefined || spec.env === base.env)) return withMigrations(base, spec.migrations ?? []);
  const env = spec.env ?? base.env;
  const source = readWorkerSource(spec.config ?? base.configPath, { ...(spec.main !== undefined && { main: spec.main }), ...(env !== undefined && { env }) });
  return withMigrations(source, spec.migrations ?? []);
}

/** The model's upload input for a spec. */
export function versionInput(source: WorkerSource, spec: VersionSpec): VersionInput {
  return {
    ...(spec.tag !== undefined && { tag: spec.tag }),
    ...(spec.message !== undefined && { message: spec.message }),
    vars: { ...source.vars, ...spec.vars },
    ...(spec.secrets !== undefined && { secrets: spec.secrets }),
    ...((spec.migrationTag ?? source.migrationTag) !== undefined && { migrationTag: spec.migrationTag ?? source.migrationTag }),
    source: path.relative(process.cwd(), source.main) || source.main,
    ...(source.declaredBindings !== undefined && { bindings: source.declaredBindings }),
  };
}

/**
 * The source of a version the manifest records: the config as read at upload, or (older manifests
 * lack it) the config read again.
 */
export function storedSourceOf(entry: { readonly configPath: string; readonly main?: string; readonly source?: StoredSource }): WorkerSource {
  if (entry.source !== undefined) return restoreSource(entry.source);
  return readWorkerSource(entry.configPath, entry.main !== undefined ? { main: entry.main } : {});
}
