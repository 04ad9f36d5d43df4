/**
 * What the host keeps next to a persisted run, so a restarted host (even after kill -9) rebuilds
 * the same workers: each version's record, the code it was uploaded with and the config it was
 * read from. The control plane's own storage stays the source of truth for versions, deployments
 * and the ledger; the manifest only has to cover every version the control plane may hold, so a
 * change writes its code here (as `pending`) before the control plane records it.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../model/input-error.js";
import type { Version } from "../model/types.js";
import { parseBundle, serializeBundle, type VersionBundle } from "./bundle.js";
import type { WorkerSource } from "./config.js";
import { manifestProblem } from "./manifest-shape.js";
import type { BootState } from "./workers/control-api.js";

/** A {@link WorkerSource} as JSON (the SQLite map as pairs). */
export type StoredSource = Omit<WorkerSource, "sqliteClasses"> & { readonly sqliteClasses: readonly [string, boolean][] };

/** One version as the host needs it to rebuild its worker. */
export interface ManifestVersion {
  readonly version: Version;
  readonly configPath: string;
  readonly main?: string;
  /** File (under `bundles/`) holding the bundled module the version was uploaded with. */
  readonly bundleFile: string;
  /** The config as read at upload (older manifests lack it: the config is read again). */
  readonly source?: StoredSource;
}

/** A version whose code is stored but which the control plane may not have recorded yet. */
export interface PendingVersion {
  readonly configPath: string;
  readonly main?: string;
  readonly bundleFile: string;
  readonly source?: StoredSource;
  readonly label?: string;
  /** What was under way ("upload", "deploy", "secret"). */
  readonly reason: string;
}

/** The host's manifest of a persisted run. */
export interface HostManifest {
  readonly workerName: string;
  readonly seed: string;
  readonly versions: readonly ManifestVersion[];
  /** Labels given to versions (label → version id). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The control plane's first state, adopted again if its storage never got written. */
  readonly boot?: BootState;
  readonly pending?: PendingVersion;
}

const MANIFEST = "dosim-host.json";

/** The code of a state directory the host cannot use as it is. */
export const DAMAGED_STATE = "damaged-state";

/**
 * A file of the state directory that exists but cannot be used: a manifest that is not JSON or
 * not a manifest's shape, a version's bundle that is gone. An input error: the user moves the
 * directory away (or repairs it).
 */
export class DamagedManifestError extends InputError {
  constructor(
    /** The damaged (or missing) file. */
    readonly file: string,
    /** The state directory holding it. */
    readonly dir: string,
    reason: string,
  ) {
    super(DAMAGED_STATE, `The state file ${file} is damaged (${reason}). Move the state directory ${dir} away (or remove it) to start over with a new state.`);
    this.name = "DamagedManifestError";
  }
}

/** Reads the manifest of `dir`, if there is one; a damaged one throws {@link DamagedManifestError}. */
export function readManifest(dir: string): HostManifest | undefined {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DamagedManifestError(file, dir, error instanceof Error ? error.message : String(error));
  }
  const problem = manifestProblem(parsed);
  if (problem !== undefined) throw new DamagedManifestError(file, dir, `not a dosim host manifest: ${problem}`);
  return parsed as HostManifest;
}

/** Writes the manifest atomically (write, then rename), so a crash never leaves half of it. */
export function writeManifest(dir: string, manifest: HostManifest): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, MANIFEST);
  // Owner-only: the manifest holds the versions' secret values.
  writeFileSync(`${file}.tmp`, JSON.stringify(manifest, null, 2), { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

/** Stores a version's bundle by content hash and returns its file name. */
export function storeBundle(dir: string, bundle: VersionBundle): string {
  const text = serializeBundle(bundle);
  const name = `${createHash("sha256").update(text).digest("hex").slice(0, 16)}.json`;
  const bundles = path.join(dir, "bundles");
  mkdirSync(bundles, { recursive: true, mode: 0o700 });
  const file = path.join(bundles, name);
  if (!existsSync(file)) {
    writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  return name;
}

/** Reads a stored bundle; a missing one means the state directory is damaged. */
export function readBundle(dir: string, name: string): VersionBundle {
  const file = path.join(dir, "bundles", name);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new DamagedManifestError(file, dir, `a version's code cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseBundle(text);
}

/** A source as JSON. */
export function storeSource(source: WorkerSource): StoredSource {
  return JSON.parse(JSON.stringify({ ...source, sqliteClasses: [...source.sqliteClasses] })) as StoredSource;
}

/** A source back from JSON. */
export function restoreSource(stored: StoredSource): WorkerSource {
  return { ...stored, sqliteClasses: new Map(stored.sqliteClasses) };
}
