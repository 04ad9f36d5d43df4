/**
 * What a run's Miniflare options are built from (the hosted versions, dosim's bundles, the boot
 * state, the spare slots), and the names and storage every part of the options agrees on.
 */
import { defaultUniqueKey } from "../model/object-ids.js";
import type { Version } from "../model/types.js";
import type { InternalBundles, VersionBundle } from "./bundle.js";
import type { WorkerSource } from "./config.js";
import type { SlotLayout } from "./slot-options.js";
import type { BootState } from "./workers/control-api.js";

/** A version and the code it runs. */
export interface HostedVersion {
  readonly version: Version;
  readonly source: WorkerSource;
  /** The version's modules (user code as wrangler built it, behind dosim's generated entry). */
  readonly bundle: VersionBundle;
  /**
   * False for a version no deployment will name (a scenario's dry run knows): no object runs on it,
   * so workerd runs it only to check that its code starts (see workerdVersions), and the object
   * router does not hold its namespaces. Default: routable.
   */
  readonly routable?: boolean;
}

/** Everything a run's Miniflare options are built from. */
export interface RunLayout {
  readonly workerName: string;
  readonly versions: readonly HostedVersion[];
  readonly internal: InternalBundles;
  readonly boot: BootState;
  /** Persist Durable Object storage (and the control plane) here; in memory when absent. */
  readonly persistDir?: string;
  /** A restart of a running host to load versions: the control plane keeps its live instances. */
  readonly plannedRestart?: boolean;
  /** Spare slots for versions uploaded later (none when absent). */
  readonly slots?: SlotLayout;
}

/** The worker name of a version (by number, so it is stable across restarts). */
export function versionWorkerName(workerName: string, version: Version): string {
  return `${workerName}--v${version.number}`;
}

/**
 * The unique key of a class's namespace: Miniflare's default for the class that created its
 * storage, so a renamed class reaches the same objects (same ids, same stored data).
 */
export function storageKey(workerName: string, source: Pick<WorkerSource, "classStorages">, className: string): string {
  return defaultUniqueKey(workerName, source.classStorages?.[className] ?? className);
}

/** Which classes use SQLite: the first version's migrations decide, so every version agrees. */
export function sqliteOf(layout: RunLayout, className: string): boolean {
  for (const hosted of layout.versions) {
    const value = hosted.source.sqliteClasses.get(className);
    if (value !== undefined) return value;
  }
  return false;
}

/** The versions the object router reaches: the routable ones (the first version when none is). */
export function routableVersions(layout: RunLayout): readonly HostedVersion[] {
  const routable = layout.versions.filter((hosted) => hosted.routable !== false);
  return routable.length > 0 ? routable : layout.versions.slice(0, 1);
}
