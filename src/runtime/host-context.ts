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
import { loadIntoSlots, planSlots, type SlotPool } from "./late-slots.js";
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
  /** How many spare slots each start of workerd gets (see late-slots.ts). */
  readonly spareSlots: number;
  /** The spare slots of the running workerd (replaced at every restart). */
  slots: SlotPool | undefined;
}

/**
 * The layout Miniflare's options are built from: the hosted versions workerd is to run (loaded, and
 * not dormant: see {@link workerdVersions}). `planned` marks a restart of a running host (see
 * {@link loadVersions}).
 */
export function runLayout(
  host: Pick<HostContext, "source" | "hosted" | "internal" | "boot" | "storageDir"> & { readonly unloaded?: ReadonlySet<string>; readonly slots?: SlotPool | undefined },
  planned = false,
): RunLayout {
  const unloaded = host.unloaded ?? new Set<string>();
  const versions = workerdVersions(unloaded.size === 0 ? host.hosted : host.hosted.filter((hosted) => !unloaded.has(hosted.version.id)));
  return {
    workerName: host.source.name,
    versions,
    internal: host.internal,
    boot: host.boot,
    persistDir: host.storageDir,
    ...(planned && { plannedRestart: true }),
    ...(host.slots !== undefined && { slots: host.slots.layout }),
  };
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
 * Loads every recorded version workerd does not run yet: into free spare slots when they fit
 * (late-slots.ts: nothing that runs is touched), else by restarting workerd. A restart is invisible
 * to the simulated platform: the control plane keeps every instance it held as live (so a
 * deferred update keeps waiting and nothing resets), and in-flight traffic drains first (the dev
 * server's gate). Only the instances' in-memory state is lost; the restart, and why no slot could
 * take the versions, is reported as a simulator event. The restart provides fresh spare slots.
 */
export async function loadVersions(host: HostContext, reason: string): Promise<void> {
  if (host.unloaded.size === 0) return;
  const whyRestart = await loadIntoSlots(host);
  if (whyRestart === undefined) return;
  await drainTraces(host);
  const before = await host.control.call<ControlSnapshotView>("snapshot");
  await host.control.call("persistAll");
  host.unloaded.clear();
  const slots = await planSlots(host.spareSlots, runLayout({ ...host, slots: undefined }).versions);
  host.slots = slots === undefined ? undefined : { layout: slots, used: 0 };
  await host.mf.setOptions(buildMiniflareOptions(runLayout(host, true)));
  await host.control.reconnect(host.mf);
  const why = host.spareSlots > 0 ? `; ${whyRestart}` : "";
  host.events.push({ type: "restart", reason: `${reason}${why}`, atMs: before.nowMs, instancesLost: Object.keys(before.liveInstances).length });
}

/** Adds a version's worker to the running host and loads it now (a restart of workerd, reported as an event). */
export async function addVersion(host: HostContext, hosted: HostedVersion, spec: VersionSpec, reason: string): Promise<void> {
  recordVersion(host, hosted, spec);
  await loadVersions(host, `${reason} of version ${hosted.version.id}`);
}
