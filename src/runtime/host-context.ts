/**
 * The running host's state, shared by the modules behind {@link Simulator} as one context object
 * (so none of it becomes public), with the operations several of them need: writing the manifest,
 * draining traces, and adding a version's worker with a restart of workerd.
 */
import type { Miniflare } from "miniflare";
import path from "node:path";
import type { InternalBundles } from "./bundle.js";
import type { ControlClient } from "./control-client.js";
import { workerdVersions } from "./dormant-versions.js";
import type { WorkerSource } from "./config.js";
import { storeBundle, storeSource, writeManifest, type HostManifest, type ManifestVersion, type PendingVersion } from "./manifest.js";
import { buildMiniflareOptions, type HostedVersion, type RunLayout } from "./options.js";
import type { SimulatorEvent, VersionSpec } from "./simulator-types.js";
import type { BootState, ControlSnapshotView } from "./workers/control-api.js";
import type { TraceEvent } from "./workers/protocol.js";

/** Everything a running simulator holds. The arrays and records grow as versions are added. */
export interface HostContext {
  readonly mf: Miniflare;
  readonly control: ControlClient;
  /** The simulator's own config: the code of versions whose spec names no other. */
  readonly source: WorkerSource;
  readonly internal: InternalBundles;
  readonly boot: BootState;
  readonly persistDir: string | undefined;
  /** Where Durable Object storage lives: the persist directory, or a scratch one removed at close. */
  readonly storageDir: string;
  /** Every version with code: the recorded ones, then staged ones not recorded yet. */
  readonly hosted: HostedVersion[];
  /**
   * Ids of hosted versions workerd does not run yet. An upload only records its version (on the
   * platform an upload changes nothing that runs); the next deployment loads it.
   */
  readonly unloaded: Set<string>;
  /** The recorded versions as the manifest keeps them. */
  readonly manifest: ManifestVersion[];
  readonly labels: Record<string, string>;
  readonly events: SimulatorEvent[];
  /** Drained trace events, when no trace sink takes them. */
  readonly traces: TraceEvent[];
  readonly traceSink: ((events: readonly TraceEvent[]) => void) | undefined;
}

/**
 * The layout Miniflare's options are built from: the hosted versions workerd is to run (loaded, and
 * not dormant: see {@link workerdVersions}). `planned` marks a restart of a running host (see
 * {@link loadVersions}).
 */
export function runLayout(
  host: Pick<HostContext, "source" | "hosted" | "internal" | "boot" | "storageDir"> & { readonly unloaded?: ReadonlySet<string> },
  planned = false,
): RunLayout {
  const unloaded = host.unloaded ?? new Set<string>();
  const versions = workerdVersions(unloaded.size === 0 ? host.hosted : host.hosted.filter((hosted) => !unloaded.has(hosted.version.id)));
  return { workerName: host.source.name, versions, internal: host.internal, boot: host.boot, persistDir: host.storageDir, ...(planned && { plannedRestart: true }) };
}

/** The manifest's record of a hosted version (its code stored only when the run is persisted). */
export function manifestEntry(persistDir: string | undefined, hosted: HostedVersion, spec: VersionSpec): ManifestVersion {
  return {
    version: hosted.version,
    configPath: hosted.source.configPath,
    ...(spec.main !== undefined && { main: path.resolve(spec.main) }),
    bundleFile: persistDir === undefined ? "" : storeBundle(persistDir, hosted.bundle),
    ...(persistDir !== undefined && { source: storeSource(hosted.source) }),
  };
}

/** Writes the stored manifest of a persisted run, with a pending version or none. */
export function writeHostManifest(host: HostContext, pending?: PendingVersion): void {
  if (host.persistDir === undefined) return;
  const manifest: HostManifest = {
    workerName: host.source.name,
    seed: host.boot.seed,
    versions: host.manifest,
    labels: host.labels,
    boot: host.boot,
    ...(pending !== undefined && { pending }),
  };
  writeManifest(host.persistDir, manifest);
}

/** Drains the trace events of every version now (to the trace sink, or into memory). */
export async function drainTraces(host: HostContext): Promise<void> {
  const events = (await host.control.post("traces")) as TraceEvent[];
  if (host.traceSink === undefined) host.traces.push(...events);
  else if (events.length > 0) host.traceSink(events);
}

/** Records a new version's code without touching workerd: the next deployment loads it. */
export function recordVersion(host: HostContext, hosted: HostedVersion, spec: VersionSpec): void {
  host.hosted.push(hosted);
  host.manifest.push(manifestEntry(host.persistDir, hosted, spec));
  if (spec.label !== undefined) host.labels[spec.label] = hosted.version.id;
  writeHostManifest(host);
  host.unloaded.add(hosted.version.id);
}

/**
 * Loads every recorded version workerd does not run yet. That takes a restart of workerd, which
 * the simulated platform does not see: the control plane keeps every instance it held as live
 * (so a deferred update keeps waiting and nothing resets), and in-flight traffic drains first (the
 * dev server's gate). Only the instances' in-memory state is lost; the restart is reported as a
 * simulator event.
 */
export async function loadVersions(host: HostContext, reason: string): Promise<void> {
  if (host.unloaded.size === 0) return;
  await drainTraces(host);
  const before = await host.control.call<ControlSnapshotView>("snapshot");
  await host.control.call("persistAll");
  host.unloaded.clear();
  await host.mf.setOptions(buildMiniflareOptions(runLayout(host, true)));
  await host.control.reconnect(host.mf);
  host.events.push({ type: "restart", reason, atMs: before.nowMs, instancesLost: Object.keys(before.liveInstances).length });
}

/** Adds a version's worker to the running host and loads it now (a restart of workerd, reported as an event). */
export async function addVersion(host: HostContext, hosted: HostedVersion, spec: VersionSpec, reason: string): Promise<void> {
  recordVersion(host, hosted, spec);
  await loadVersions(host, `${reason} of version ${hosted.version.id}`);
}
