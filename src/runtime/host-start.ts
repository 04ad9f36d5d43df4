/**
 * Starting the host: which versions it runs and the control plane's first state, either rebuilt
 * from a persisted run's manifest or computed fresh from the options (plus staged versions), then
 * one Miniflare instance running them all.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { InputError } from "../model/input-error.js";
import path from "node:path";
import { computeBootState } from "./boot.js";
import { bundleInternalWorkers, bundleVersion, type VersionBundle } from "./bundle.js";
import { resolveWranglerConfig } from "../build/find-config.js";
import { readWorkerSource, type WorkerSource } from "./config.js";
import { ControlClient } from "./control-client.js";
import { manifestEntry, runLayout, type HostContext } from "./host-context.js";
import { readBundle, readManifest, writeManifest, type HostManifest, type ManifestVersion } from "./manifest.js";
import { buildMiniflareOptions, type HostedVersion } from "./options.js";
import { DEFAULT_START_MS, type SimulatorOptions, type StagedVersion } from "./simulator-types.js";
import { sourceOf, storedSourceOf, versionInput } from "./version-spec.js";
import { startWorkerd } from "./workerd-start.js";
import { planSlots } from "./late-slots.js";
import type { BootState } from "./workers/control-api.js";

/** A started host, and the manifest it was restored from (a persisted run's), if any. */
export interface StartedHost {
  readonly host: HostContext;
  readonly stored: HostManifest | undefined;
}

/** The versions a host starts with, before workerd runs. */
interface HostVersions {
  readonly hosted: HostedVersion[];
  readonly manifest: ManifestVersion[];
  readonly labels: Record<string, string>;
  readonly boot: BootState;
}

/** Starts workerd with every version. Refused (as a thrown Error with a `code`) when a version is invalid. */
export async function startHost(options: SimulatorOptions): Promise<StartedHost> {
  const source = readWorkerSource(resolveWranglerConfig(options.config), options.env !== undefined ? { env: options.env } : {});
  const seed = options.seed ?? "dosim";
  const persistDir = options.persistDir === undefined ? undefined : path.resolve(options.persistDir);
  const internal = await bundleInternalWorkers();
  const stored = persistDir === undefined ? undefined : readManifest(persistDir);
  const versions =
    stored !== undefined && persistDir !== undefined
      ? restoreVersions(stored, persistDir, options.startMs)
      : await freshVersions(source, seed, persistDir, options);
  const storageDir = persistDir ?? scratchDir();
  const spareSlots = options.spareSlots ?? 0;
  const planned = await planSlots(spareSlots, runLayout({ source, internal, boot: versions.boot, hosted: versions.hosted, storageDir }).versions);
  const slots = planned === undefined ? undefined : { layout: planned, used: 0 };
  const layout = { source, internal, boot: versions.boot, hosted: versions.hosted, storageDir, slots };
  let mf: Awaited<ReturnType<typeof startWorkerd>> | undefined;
  let control: ControlClient;
  try {
    mf = await startWorkerd(buildMiniflareOptions(runLayout(layout)), source.name, versions.hosted);
    control = await ControlClient.connect(mf);
  } catch (error) {
    // A Worker that throws at startup: stop workerd, or it keeps the process (and other runs) alive.
    await mf?.dispose().catch(() => {});
    if (persistDir === undefined) rmSync(storageDir, { recursive: true, force: true });
    throw error;
  }
  const host: HostContext = { ...layout, ...versions, unloaded: new Set(), mf, control, persistDir, events: [], traces: [], traceSink: options.traceSink, spareSlots };
  return { host, stored };
}

/** A persisted run: the control plane has its state; rebuild the same workers. */
function restoreVersions(stored: HostManifest, persistDir: string, startMs: number | undefined): HostVersions {
  const manifest = [...stored.versions];
  const labels: Record<string, string> = { ...stored.labels };
  const hosted = manifest.map((entry) => ({ version: entry.version, source: storedSourceOf(entry), bundle: readBundle(persistDir, entry.bundleFile) }));
  // The control plane ignores this when its storage holds a state, and adopts it when a crash
  // came before its first write.
  const boot = stored.boot ?? { seed: stored.seed, nowMs: startMs ?? DEFAULT_START_MS, draws: 0, state: { name: stored.workerName, versions: [], deployments: [] } };
  return { hosted, manifest, labels, boot };
}

/** A new run: the options' versions recorded in the first state, then the staged ones hosted too. */
async function freshVersions(source: WorkerSource, seed: string, persistDir: string | undefined, options: SimulatorOptions): Promise<HostVersions> {
  const specs = options.versions ?? (options.staged !== undefined ? [] : [{}]);
  if (specs.length === 0 && options.staged === undefined) throw new Error("register at least one version");
  const sources = specs.map((spec) => sourceOf(source, spec));
  const booted = computeBootState({
    workerName: source.name,
    seed,
    nowMs: options.startMs ?? DEFAULT_START_MS,
    inputs: specs.map((spec, index) => versionInput(sources[index]!, spec)),
    ...(options.limits !== undefined && { limits: options.limits }),
  });
  if (!booted.ok) throw Object.assign(new Error(booted.error.message), { code: booted.error.code });
  const boot = booted.value;
  const bundles = await Promise.all(sources.map((versionSource, index) => bundleNamed(versionSource, specs[index]!.label)));
  const hosted: HostedVersion[] = boot.state.versions.map((version, index) => ({ version, source: sources[index]!, bundle: bundles[index]! }));
  const manifest = hosted.map((entry, index) => manifestEntry(persistDir, entry, specs[index]!));
  // Staged versions are hosted but not yet recorded (a scenario run; not kept in a manifest).
  hosted.push(...(await hostStaged(source, options.staged ?? [])));
  const labels: Record<string, string> = {};
  specs.forEach((spec, index) => {
    if (spec.label !== undefined) labels[spec.label] = boot.state.versions[index]!.id;
  });
  if (persistDir !== undefined) writeManifest(persistDir, { workerName: source.name, seed, versions: manifest, labels, boot });
  return { hosted, manifest, labels, boot };
}

/** A version's bundle; a build that fails names the version (its label) before the cause. */
async function bundleNamed(source: WorkerSource, label: string | undefined): Promise<VersionBundle> {
  try {
    return await bundleVersion(source);
  } catch (error) {
    if (error instanceof InputError && label !== undefined) throw new InputError(error.code, `version ${label}: ${error.message}`);
    throw error;
  }
}

/** Staged versions with their code; versions with the same config and entry share one bundle. */
async function hostStaged(base: WorkerSource, staged: readonly StagedVersion[]): Promise<HostedVersion[]> {
  const bundles = new Map<string, Promise<VersionBundle>>();
  return Promise.all(
    staged.map(async ({ version, spec, deployed }) => {
      const source = sourceOf(base, spec ?? {});
      const key = `${source.configPath}\n${source.main}`;
      if (!bundles.has(key)) bundles.set(key, bundleNamed(source, spec?.label));
      return { version, source, bundle: await bundles.get(key)!, ...(deployed === false && { routable: false }) };
    }),
  );
}

/**
 * A scratch storage directory, in memory (/dev/shm) where the system has it: storage is much
 * faster there. It is removed when the process exits, also on Ctrl-C or SIGTERM (Miniflare's own
 * signal handlers end the process with process.exit, which runs exit listeners).
 */
function scratchDir(): string {
  const base = existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  const dir = mkdtempSync(path.join(base, "dosim-"));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  process.on("exit", remove);
  scratchRemovers.set(dir, () => {
    process.off("exit", remove);
    remove();
  });
  return dir;
}

const scratchRemovers = new Map<string, () => void>();

/** Removes a scratch directory of this process now (a no-op for any other directory). */
export function removeScratchDir(dir: string): void {
  scratchRemovers.get(dir)?.();
  scratchRemovers.delete(dir);
}
