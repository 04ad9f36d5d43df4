/**
 * The programmatic API: starts the host (one Miniflare instance running every version, the edge,
 * the routing binding and the control plane), and uploads, deploys, rolls back, moves the virtual
 * clock, sends requests and reads the ledger and the traces. The CLI and the scenario runner are
 * built on it; users can drive it from their own tests.
 */
import { Miniflare } from "miniflare";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ok, type Result } from "../model/errors.js";
import type { DeploymentEffect, LedgerState, ResetRecord } from "../model/ledger.js";
import type { Limits } from "../model/limits.js";
import { createObjectIdFactory } from "../model/object-ids.js";
import type { RollbackOptions } from "../model/rollback.js";
import type { Version } from "../model/types.js";
import type { VersionInput } from "../model/versions.js";
import { computeBootState } from "./boot.js";
import { bundleInternalWorkers, bundleVersion, type InternalBundles } from "./bundle.js";
import { readWorkerSource, type WorkerSource } from "./config.js";
import {
  readBundle,
  readManifest,
  restoreSource,
  storeBundle,
  storeSource,
  writeManifest,
  type HostManifest,
  type ManifestVersion,
  type PendingVersion,
} from "./manifest.js";
import { buildMiniflareOptions, uniqueKeyOf, type HostedVersion } from "./options.js";
import type { BootState, BulkResult, BulkSpec, ControlSnapshotView, DeployRequest, JournalView } from "./workers/control-api.js";
import { INTERNAL_WORKERS, type TraceEvent } from "./workers/protocol.js";

/** A version to register: the config's code and vars, with changes. */
export interface VersionSpec {
  /** A name for this version in deployment specs (`B@20,A@80`), besides its id and tag. */
  readonly label?: string;
  readonly tag?: string;
  readonly message?: string;
  /** Vars merged over the config's. */
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  /** Another wrangler config for this version's code (default: the simulator's config). */
  readonly config?: string;
  /** Another entry module (default: the config's `main`). */
  readonly main?: string;
  /** The newest Durable Object migration tag of this version (default: the config's own). */
  readonly migrationTag?: string;
}

/**
 * A version registered as a worker before workerd starts, which the control plane records only
 * when an upload, full deploy or secret change passes it as `staged` (so no restart happens). Its
 * record comes from a dry run of the same operations on the model; the control plane checks that
 * the version it creates is this one.
 */
export interface StagedVersion {
  readonly version: Version;
  /** Where its code comes from (config and entry; the rest of the spec is ignored). */
  readonly spec?: VersionSpec;
}

/** Passes a staged version to an operation that creates one. */
export interface StagedOption {
  readonly staged?: Version;
}

/** How to start a simulator. */
export interface SimulatorOptions {
  /** The Worker's wrangler config (toml or jsonc). Default: ./wrangler.toml. */
  readonly config?: string;
  /** The run's seed: version and deployment ids and the per-request split follow from it. */
  readonly seed?: string;
  /** Virtual start time (ms since the epoch). Default: 2026-01-01T00:00:00Z. */
  readonly startMs?: number;
  /**
   * Versions registered before workerd starts (no restart later): the first is deployed at 100%
   * with a full deploy, the others are uploaded. Default: one version from the config.
   */
  readonly versions?: readonly VersionSpec[];
  /** Keep storage, the control plane and the versions' code here, across restarts of the host. */
  readonly persistDir?: string;
  readonly limits?: Partial<Limits>;
  /**
   * Where trace events go when drained (a long-running host writes them to a file). When given,
   * the simulator keeps none in memory and {@link Simulator.traces} returns only what it has not
   * handed over.
   */
  readonly traceSink?: (events: readonly TraceEvent[]) => void;
  /**
   * Versions to host from the start without recording them (a scenario's, from its dry run). With
   * staged versions, `versions` defaults to none: the control plane starts empty.
   */
  readonly staged?: readonly StagedVersion[];
}

/** Something the simulator did that the platform would not (a restart of workerd). */
export interface SimulatorEvent {
  readonly type: "restart";
  readonly reason: string;
  /** Virtual time of the restart. */
  readonly atMs: number;
  /** Live instances that the restart ended (not platform resets: the ledger is unchanged). */
  readonly instancesLost: number;
}

/** What a deployment did. */
export interface DeployAnswer {
  readonly deploymentId: string;
  readonly effect: DeploymentEffect;
}

/** The control worker, as the host calls it. */
type ControlFetcher = { fetch(url: string, init: { method: string; body?: string }): Promise<{ text(): Promise<string>; status: number }> };

/** The default virtual start time. */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);

export class Simulator {
  readonly #mf: Miniflare;
  readonly #source: WorkerSource;
  readonly #internal: InternalBundles;
  readonly #boot: BootState;
  readonly #persistDir: string | undefined;
  /** Where Durable Object storage lives: the persist directory, or a scratch one removed at close. */
  readonly #storageDir: string;
  readonly #hosted: HostedVersion[];
  readonly #manifest: ManifestVersion[];
  readonly #labels: Record<string, string>;
  readonly #events: SimulatorEvent[] = [];
  readonly #traces: TraceEvent[] = [];
  readonly #traceSink: ((events: readonly TraceEvent[]) => void) | undefined;
  #control: ControlFetcher;

  private constructor(init: {
    mf: Miniflare;
    source: WorkerSource;
    internal: InternalBundles;
    boot: BootState;
    persistDir: string | undefined;
    storageDir: string;
    hosted: HostedVersion[];
    manifest: ManifestVersion[];
    labels: Record<string, string>;
    control: ControlFetcher;
    traceSink: ((events: readonly TraceEvent[]) => void) | undefined;
  }) {
    this.#mf = init.mf;
    this.#source = init.source;
    this.#internal = init.internal;
    this.#boot = init.boot;
    this.#persistDir = init.persistDir;
    this.#storageDir = init.storageDir;
    this.#hosted = init.hosted;
    this.#manifest = init.manifest;
    this.#labels = init.labels;
    this.#control = init.control;
    this.#traceSink = init.traceSink;
  }

  /** Starts a simulator. Refused (as a thrown Error with a `code`) when a version is invalid. */
  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const source = readWorkerSource(options.config ?? "wrangler.toml");
    const seed = options.seed ?? "dosim";
    const persistDir = options.persistDir === undefined ? undefined : path.resolve(options.persistDir);
    const internal = await bundleInternalWorkers();
    const stored = persistDir === undefined ? undefined : readManifest(persistDir);
    const labels: Record<string, string> = {};
    let hosted: HostedVersion[];
    let manifest: ManifestVersion[];
    let boot: BootState;
    if (stored !== undefined && persistDir !== undefined) {
      // A persisted run: the control plane has its state; rebuild the same workers.
      manifest = [...stored.versions];
      Object.assign(labels, stored.labels ?? {});
      hosted = manifest.map((entry) => ({
        version: entry.version,
        source: entry.source !== undefined ? restoreSource(entry.source) : readWorkerSource(entry.configPath, entry.main !== undefined ? { main: entry.main } : {}),
        bundle: readBundle(persistDir, entry.bundleFile),
      }));
      // The control plane ignores this when its storage holds a state, and adopts it when a crash
      // came before its first write.
      boot = stored.boot ?? { seed: stored.seed, nowMs: options.startMs ?? DEFAULT_START_MS, draws: 0, state: { name: stored.workerName, versions: [], deployments: [] } };
    } else {
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
      boot = booted.value;
      const bundles = await Promise.all(sources.map((versionSource) => bundleVersion(versionSource)));
      hosted = boot.state.versions.map((version, index) => ({ version, source: sources[index]!, bundle: bundles[index]! }));
      manifest = hosted.map((entry, index) => manifestEntry(persistDir, entry, specs[index]!));
      // Staged versions are hosted but not yet recorded (a scenario run; not kept in a manifest).
      hosted.push(...(await hostStaged(source, options.staged ?? [])));
      specs.forEach((spec, index) => {
        if (spec.label !== undefined) labels[spec.label] = boot.state.versions[index]!.id;
      });
      if (persistDir !== undefined) writeManifest(persistDir, { workerName: source.name, seed, versions: manifest, labels, boot });
    }
    const storageDir = persistDir ?? scratchDir();
    const layout = { workerName: source.name, versions: hosted, internal, boot, persistDir: storageDir };
    const mf = new Miniflare(buildMiniflareOptions(layout));
    await mf.ready;
    const control = (await mf.getWorker(INTERNAL_WORKERS.control)) as unknown as ControlFetcher;
    const traceSink = options.traceSink;
    const simulator = new Simulator({ mf, source, internal, boot, persistDir, storageDir, hosted, manifest, labels, control, traceSink });
    if (stored !== undefined) {
      try {
        await simulator.#recover(stored.pending);
      } catch (error) {
        await mf.dispose();
        throw error;
      }
    }
    return simulator;
  }

  /** The Worker's name (the key of the overrides header). */
  get workerName(): string {
    return this.#source.name;
  }

  /** Labels given to registered versions → version ids. */
  get labels(): Readonly<Record<string, string>> {
    return this.#labels;
  }

  /** The version id of a label, tag or id. */
  versionId(ref: string): string | undefined {
    return this.#labels[ref] ?? this.#hosted.find((hosted) => hosted.version.id === ref || hosted.version.tag === ref)?.version.id;
  }

  /** Sends a request through the edge (a path is resolved against http://localhost). */
  async fetch(input: string | URL, init?: RequestInit): Promise<Response> {
    const url = typeof input === "string" && input.startsWith("/") ? `http://localhost${input}` : input;
    return (await this.#mf.dispatchFetch(url as string, init as never)) as unknown as Response;
  }

  /** The id of the object named `name` (as `env.<binding>.idFromName(name)` gives it). */
  objectId(name: string, className = this.#source.durableObjects[0]?.className ?? ""): string {
    return createObjectIdFactory(uniqueKeyOf(this.workerName, className)).idFromName(name);
  }

  /** `versions deploy`: a spec like `B@20,A@80` (labels, tags and ids all work). */
  async deploy(spec: DeployRequest["spec"], options: Omit<DeployRequest, "spec"> = {}): Promise<Result<DeployAnswer>> {
    return this.#call("deploy", { ...options, spec, labels: { ...this.#labels, ...options.labels } });
  }

  /** `rollback`: to a version (label, tag or id), or to the previous 100% version. */
  async rollback(options: Omit<RollbackOptions, "codeUpdate"> & { codeUpdate?: DeployRequest["codeUpdate"]; to?: string } = {}): Promise<Result<DeployAnswer>> {
    const { to, ...rest } = options;
    const versionId = to === undefined ? rest.versionId : (this.versionId(to) ?? to);
    return this.#call("rollback", { ...rest, ...(versionId !== undefined && { versionId }) });
  }

  /** `versions upload` into the running host: records the version, then restarts workerd to load it. */
  async upload(spec: VersionSpec = {}, options: StagedOption = {}): Promise<Result<Version>> {
    if (options.staged !== undefined) {
      const staged = options.staged;
      return this.#recordStaged(staged, spec.label, this.#call<Result<Version>>("upload", versionInput(sourceOf(this.#source, spec), spec), staged), (value) => value);
    }
    const source = sourceOf(this.#source, spec);
    const bundle = await bundleVersion(source);
    this.#markPending({ source, bundle }, spec, "upload");
    const uploaded = await this.#call<Result<Version>>("upload", versionInput(source, spec));
    if (!uploaded.ok) return this.#clearPending(uploaded);
    await this.#addVersion({ version: uploaded.value, source, bundle }, spec, "upload");
    return uploaded;
  }

  /** Full `deploy` of new code at 100% (the way to apply a migration); restarts workerd to load it. */
  async fullDeploy(spec: VersionSpec = {}, options: { message?: string; codeUpdate?: DeployRequest["codeUpdate"] } & StagedOption = {}): Promise<Result<{ version: Version; effect: DeploymentEffect }>> {
    if (options.staged !== undefined) {
      const request = { input: versionInput(sourceOf(this.#source, spec), spec), ...options };
      return this.#recordStaged(options.staged, spec.label, this.#call<Result<{ version: Version; effect: DeploymentEffect }>>("fullDeploy", request), (value) => value.version);
    }
    const source = sourceOf(this.#source, spec);
    const bundle = await bundleVersion(source);
    this.#markPending({ source, bundle }, spec, "deploy");
    const deployed = await this.#call<Result<{ version: Version; effect: DeploymentEffect }>>("fullDeploy", { input: versionInput(source, spec), ...options });
    if (!deployed.ok) return this.#clearPending(deployed);
    await this.#addVersion({ version: deployed.value.version, source, bundle }, spec, "deploy");
    return deployed;
  }

  /** `versions secret put` (or `secret put` with `deploy`): a new version; restarts workerd to load it. */
  async putSecret(name: string, value: string, options: { deploy?: boolean; message?: string; label?: string } & StagedOption = {}): Promise<Result<Version>> {
    if (options.staged !== undefined) {
      const request = { name, value, deploy: options.deploy ?? false, message: options.message, staged: options.staged };
      const answer = await this.#recordStaged(options.staged, options.label, this.#call<Result<{ version: Version }>>("putSecret", request), (created) => created.version);
      return answer.ok ? ok(answer.value.version) : answer;
    }
    const base = this.#hosted[this.#hosted.length - 1]!;
    this.#markPending(base, options.label !== undefined ? { label: options.label } : {}, "secret");
    const answer = await this.#call<Result<{ version: Version }>>("putSecret", { name, value, deploy: options.deploy ?? false, message: options.message });
    if (!answer.ok) return this.#clearPending(answer);
    const version = answer.value.version;
    await this.#addVersion({ version, source: base.source, bundle: base.bundle }, options.label !== undefined ? { label: options.label } : {}, "secret");
    return ok(version);
  }

  /** Moves the virtual clock forward; deferred resets that fall due happen now. */
  async advance(ms: number): Promise<{ nowMs: number; resets: ResetRecord[] }> {
    return this.#call("advance", { ms });
  }

  /** Declares objects by name, so the ledger follows them before they get traffic. */
  async declareObjects(names: readonly string[], className = this.#source.durableObjects[0]?.className ?? ""): Promise<string[]> {
    return (await this.#call<{ ids: string[] }>("declareObjects", { className, names })).ids;
  }

  /** Tells the simulator an object went idle: its instance ends and a waiting deferred switch happens. */
  async idle(objectId: string): Promise<ResetRecord | undefined> {
    return (await this.#call<{ reset?: ResetRecord }>("idle", { objectId })).reset;
  }

  /** Versions, deployments, ledger, clock, live instances and instance events, from the control plane. */
  snapshot(): Promise<ControlSnapshotView> {
    return this.#call("snapshot");
  }

  /** Every version, oldest first. */
  async versions(): Promise<readonly Version[]> {
    return (await this.snapshot()).worker.versions;
  }

  /** The reset ledger. */
  async ledger(): Promise<LedgerState> {
    return (await this.snapshot()).ledger;
  }

  /** Every trace event so far (one per invocation), in time order; none handed to a trace sink. */
  async traces(): Promise<readonly TraceEvent[]> {
    await this.#drainTraces();
    return this.#traces;
  }

  /** Drains the trace events of every version now (to the trace sink, or into memory). */
  async flushTraces(): Promise<void> {
    await this.#drainTraces();
  }

  /** Resets from index `resetsFrom` on, and what the ledger knows of the given objects. */
  journal(resetsFrom: number, objectIds: readonly string[] = []): Promise<JournalView> {
    return this.#call("journal", { resetsFrom, objectIds });
  }

  /** The trace events as NDJSON (one line per invocation). */
  async tracesNdjson(): Promise<string> {
    return (await this.traces()).map((event) => `${JSON.stringify(event)}\n`).join("");
  }

  /** Sends bulk traffic from inside workerd (see {@link BulkSpec}). */
  async bulk(spec: BulkSpec): Promise<BulkResult> {
    const response = await this.#control.fetch("http://control/bulk", { method: "POST", body: JSON.stringify(spec) });
    return (await readJson(response)) as BulkResult;
  }

  /** Restarts of workerd and other simulator-only events. */
  get events(): readonly SimulatorEvent[] {
    return this.#events;
  }

  /** Stops workerd. Persisted state stays in the persist directory. */
  async close(): Promise<void> {
    await this.#mf.dispose();
    if (this.#persistDir === undefined) rmSync(this.#storageDir, { recursive: true, force: true });
  }

  async #drainTraces(): Promise<void> {
    const response = await this.#control.fetch("http://control/traces", { method: "POST" });
    const events = (await readJson(response)) as TraceEvent[];
    if (this.#traceSink === undefined) this.#traces.push(...events);
    else if (events.length > 0) this.#traceSink(events);
  }

  async #call<T>(method: string, ...args: unknown[]): Promise<T> {
    const response = await this.#control.fetch(`http://control/api/${method}`, { method: "POST", body: JSON.stringify(args) });
    const body = (await readJson(response)) as { value?: T; error?: string };
    if (body.error !== undefined) throw new Error(`dosim control plane: ${body.error}`);
    return body.value as T;
  }

  /** Waits for the control plane to record a staged version (hosted since start: no restart). */
  async #recordStaged<T>(staged: Version, label: string | undefined, answer: Promise<Result<T>>, versionOf: (value: T) => Version): Promise<Result<T>> {
    if (!this.#hosted.some((hosted) => hosted.version.id === staged.id)) throw new Error(`version ${staged.id} was not staged when the simulator started`);
    const result = await answer;
    if (result.ok && label !== undefined) this.#labels[label] = versionOf(result.value).id;
    return result;
  }

  /** Adds a version's worker to the running host: a restart of workerd, reported as an event. */
  async #addVersion(hosted: HostedVersion, spec: VersionSpec, reason: string): Promise<void> {
    await this.#drainTraces();
    const before = await this.snapshot();
    this.#hosted.push(hosted);
    const entry = manifestEntry(this.#persistDir, hosted, spec);
    this.#manifest.push(entry);
    if (spec.label !== undefined) this.#labels[spec.label] = hosted.version.id;
    this.#writeManifest();
    const layout = {
      workerName: this.workerName,
      versions: this.#hosted,
      internal: this.#internal,
      boot: this.#boot,
      persistDir: this.#storageDir,
    };
    await this.#mf.setOptions(buildMiniflareOptions(layout));
    this.#control = (await this.#mf.getWorker(INTERNAL_WORKERS.control)) as unknown as ControlFetcher;
    this.#events.push({ type: "restart", reason: `${reason} of version ${hosted.version.id}`, atMs: before.nowMs, instancesLost: Object.keys(before.liveInstances).length });
  }

  /** The stored manifest of this run, with a pending version or none. */
  #writeManifest(pending?: PendingVersion): void {
    if (this.#persistDir === undefined) return;
    const manifest: HostManifest = {
      workerName: this.workerName,
      seed: this.#boot.seed,
      versions: this.#manifest,
      labels: this.#labels,
      boot: this.#boot,
      ...(pending !== undefined && { pending }),
    };
    writeManifest(this.#persistDir, manifest);
  }

  /** Stores a version's code before the control plane records it, so a crash in between loses nothing. */
  #markPending(hosted: Pick<HostedVersion, "source" | "bundle">, spec: VersionSpec, reason: string): void {
    if (this.#persistDir === undefined) return;
    this.#writeManifest({
      configPath: hosted.source.configPath,
      ...(spec.main !== undefined && { main: path.resolve(spec.main) }),
      bundleFile: storeBundle(this.#persistDir, hosted.bundle),
      source: storeSource(hosted.source),
      ...(spec.label !== undefined && { label: spec.label }),
      reason,
    });
  }

  /** Forgets the pending version of a refused change, and passes the refusal on. */
  #clearPending<T>(refused: T): T {
    this.#writeManifest();
    return refused;
  }

  /**
   * After a crash: hosts the version the control plane recorded while the manifest still called it
   * pending (a restart of workerd), and forgets a pending version it never recorded.
   */
  async #recover(pending: PendingVersion | undefined): Promise<void> {
    const recorded = (await this.snapshot()).worker.versions;
    const missing = recorded.filter((version) => !this.#hosted.some((hosted) => hosted.version.id === version.id));
    if (missing.length === 1 && pending !== undefined && this.#persistDir !== undefined) {
      const source = pending.source !== undefined ? restoreSource(pending.source) : readWorkerSource(pending.configPath, pending.main !== undefined ? { main: pending.main } : {});
      const spec: VersionSpec = { ...(pending.label !== undefined && { label: pending.label }), ...(pending.main !== undefined && { main: pending.main }) };
      await this.#addVersion({ version: missing[0]!, source, bundle: readBundle(this.#persistDir, pending.bundleFile) }, spec, `recovery of an interrupted ${pending.reason}`);
    } else if (missing.length > 0) {
      throw new Error(`the control plane holds ${missing.length} version(s) whose code is not in ${this.#persistDir}; the state directory is damaged`);
    } else if (pending !== undefined) {
      this.#writeManifest();
    }
  }
}

/** A scratch storage directory, in memory (/dev/shm) where the system has it: storage is much faster there. */
function scratchDir(): string {
  const base = existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  return mkdtempSync(path.join(base, "dosim-"));
}

async function readJson(response: { text(): Promise<string>; status: number }): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`dosim control plane answered ${response.status}: ${text.slice(0, 200)}`);
  }
}

/** Staged versions with their code; versions with the same config and entry share one bundle. */
async function hostStaged(base: WorkerSource, staged: readonly StagedVersion[]): Promise<HostedVersion[]> {
  const bundles = new Map<string, Promise<string>>();
  return Promise.all(
    staged.map(async ({ version, spec }) => {
      const source = sourceOf(base, spec ?? {});
      const key = `${source.configPath}\n${source.main}`;
      if (!bundles.has(key)) bundles.set(key, bundleVersion(source));
      return { version, source, bundle: await bundles.get(key)! };
    }),
  );
}

/** The source a spec's code comes from. */
export function sourceOf(base: WorkerSource, spec: VersionSpec): WorkerSource {
  if (spec.config === undefined && spec.main === undefined) return base;
  return readWorkerSource(spec.config ?? base.configPath, spec.main !== undefined ? { main: spec.main } : {});
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
  };
}

function manifestEntry(persistDir: string | undefined, hosted: HostedVersion, spec: VersionSpec): ManifestVersion {
  return {
    version: hosted.version,
    configPath: hosted.source.configPath,
    ...(spec.main !== undefined && { main: path.resolve(spec.main) }),
    bundleFile: persistDir === undefined ? "" : storeBundle(persistDir, hosted.bundle),
    ...(persistDir !== undefined && { source: storeSource(hosted.source) }),
  };
}
