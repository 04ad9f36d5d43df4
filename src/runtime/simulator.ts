/**
 * The programmatic API: starts the host (one Miniflare instance running every version, the edge,
 * the routing binding and the control plane), and uploads, deploys, rolls back, moves the virtual
 * clock, sends requests and reads the ledger and the traces. The CLI and the scenario runner are
 * built on it; users can drive it from their own tests.
 *
 * `Simulator` is a facade: starting lives in host-start.ts, changes that create a version in
 * version-changes.ts, crash recovery in recovery.ts, and the calls to the control worker in
 * control-client.ts. They share the host's state as one {@link HostContext}.
 */
import type { Result } from "../model/errors.js";
import type { InstanceEnd, LedgerState, ResetRecord } from "../model/ledger.js";
import { withLimits, type Limits } from "../model/limits.js";
import { createObjectIdFactory } from "../model/object-ids.js";
import type { RollbackOptions } from "../model/rollback.js";
import type { Version } from "../model/types.js";
import { drainTraces, loadVersions, type HostContext } from "./host-context.js";
import { storageKey } from "./run-layout.js";
import { removeScratchDir, startHost } from "./host-start.js";
import { recoverPending } from "./recovery.js";
import { withRunSecret } from "./run-secret.js";
import { takeServedVersion } from "./served-version.js";
import type { DeployAnswer, SimulatorEvent, SimulatorOptions, StagedOption, VersionSpec } from "./simulator-types.js";
import type { SecretChange } from "../model/secrets.js";
import { changeSecretsVersion, fullDeployVersion, putSecretVersion, uploadVersion, type FullDeployOptions, type FullDeployResult, type PutSecretOptions } from "./version-changes.js";
import type { BulkResult, BulkSpec, ControlSnapshotView, DeployRequest, JournalView } from "./workers/control-api.js";
import type { TraceEvent } from "./workers/protocol.js";

export { DEFAULT_START_MS } from "./simulator-types.js";
export type { DeployAnswer, SimulatorEvent, SimulatorOptions, StagedOption, StagedVersion, VersionSpec } from "./simulator-types.js";
export { sourceOf, versionInput } from "./version-spec.js";

/** A running host of every version of one Worker; see the module comment. */
export class Simulator {
  readonly #host: HostContext;

  private constructor(host: HostContext) {
    this.#host = host;
  }

  /** Starts a simulator. Refused (as a thrown Error with a `code`) when a version is invalid. */
  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const { host, stored } = await startHost(options);
    if (stored !== undefined) {
      try {
        await recoverPending(host, stored.pending);
      } catch (error) {
        await host.mf.dispose();
        throw error;
      }
    }
    return new Simulator(host);
  }

  /** The Worker's name (the key of the overrides header). */
  get workerName(): string {
    return this.#host.source.name;
  }

  /** The platform limits this run applies (the defaults with the options' overrides), as the control plane does. */
  get limits(): Limits {
    return withLimits(this.#host.boot.limits ?? {});
  }

  /** Labels given to registered versions → version ids. */
  get labels(): Readonly<Record<string, string>> {
    return this.#host.labels;
  }

  /** Sends a request through the edge (a path is resolved against http://localhost). */
  async fetch(input: string | URL, init?: RequestInit): Promise<Response> {
    return (await this.fetchServed(input, init)).response;
  }

  /**
   * Sends a request through the edge, and tells which version served it, as the edge routed it
   * (undefined when the edge answered itself: nothing deployed, or the version not loaded).
   */
  async fetchServed(input: string | URL, init?: RequestInit): Promise<{ response: Response; versionId: string | undefined }> {
    const url = typeof input === "string" && input.startsWith("/") ? `http://localhost${input}` : input;
    const headers = withRunSecret(init?.headers);
    const response = (await this.#host.mf.dispatchFetch(url as string, { ...init, headers } as never)) as unknown as Response;
    return { response, versionId: takeServedVersion(response) };
  }

  /**
   * The id of the object named `name` (as `env.<binding>.idFromName(name)` gives it), in the newest
   * version that has the class: after a rename, the id the old class had.
   */
  objectId(name: string, className = this.#host.source.durableObjects[0]?.className ?? ""): string {
    const newest = [...this.#host.hosted].reverse().find((hosted) => hosted.source.durableObjects.some((binding) => binding.className === className));
    return createObjectIdFactory(storageKey(this.workerName, newest?.source ?? {}, className)).idFromName(name);
  }

  /** `versions deploy`: a spec like `B@20,A@80` (labels, tags and ids all work). */
  async deploy(spec: DeployRequest["spec"], options: Omit<DeployRequest, "spec"> = {}): Promise<Result<DeployAnswer>> {
    await loadVersions(this.#host, "versions deploy: loading the uploaded versions");
    return this.#call("deploy", { ...options, spec, labels: { ...this.#host.labels, ...options.labels } });
  }

  /** `rollback`: to a version (label, id or tag, resolved by the model), or to the previous 100% version. */
  async rollback(options: Omit<RollbackOptions, "codeUpdate"> & { codeUpdate?: DeployRequest["codeUpdate"] } = {}): Promise<Result<DeployAnswer>> {
    await loadVersions(this.#host, "rollback: loading the uploaded versions");
    return this.#call("rollback", { ...options, labels: { ...this.#host.labels, ...options.labels } });
  }

  /** `versions upload` into the running host: records the version; nothing that runs changes until a deployment names it. */
  async upload(spec: VersionSpec = {}, options: StagedOption = {}): Promise<Result<Version>> {
    return uploadVersion(this.#host, spec, options);
  }

  /** Full `deploy` of new code at 100% (the way to apply a migration); loads it into a spare slot, else by restarting workerd. */
  async fullDeploy(spec: VersionSpec = {}, options: FullDeployOptions = {}): Promise<Result<FullDeployResult>> {
    return fullDeployVersion(this.#host, spec, options);
  }

  /** `versions secret put` (or `secret put` with `deploy`): a new version, loaded into a spare slot, else by restarting workerd. */
  async putSecret(name: string, value: string, options: PutSecretOptions = {}): Promise<Result<Version>> {
    return putSecretVersion(this.#host, name, value, options);
  }

  /** Secrets set and deleted at once (`secret delete/bulk`, `versions secret delete/bulk`): a new version, loaded as {@link putSecret} loads it. */
  async changeSecrets(change: SecretChange, options: PutSecretOptions = {}): Promise<Result<Version>> {
    return changeSecretsVersion(this.#host, change, options);
  }

  /**
   * Moves the virtual clock forward: quiet instances hibernate (or are evicted) and deferred resets
   * that fall due happen now; returns the resets and the instance ends, in time order.
   */
  async advance(ms: number): Promise<{ nowMs: number; resets: ResetRecord[]; ends: InstanceEnd[] }> {
    return this.#call("advance", { ms });
  }

  /** Declares objects by name, so the ledger follows them before they get traffic. */
  async declareObjects(names: readonly string[], className = this.#host.source.durableObjects[0]?.className ?? ""): Promise<string[]> {
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
    await drainTraces(this.#host);
    return this.#host.traces;
  }

  /** Drains the trace events of every version now (to the trace sink, or into memory). */
  async flushTraces(): Promise<void> {
    await drainTraces(this.#host);
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
    return (await this.#host.control.post("bulk", spec)) as BulkResult;
  }

  /** Whether a deployment would first load uploaded versions (into spare slots, else by a restart of workerd). */
  get hasUnloadedVersions(): boolean {
    return this.#host.unloaded.size > 0;
  }

  /** Restarts of workerd and other simulator-only events. */
  get events(): readonly SimulatorEvent[] {
    return this.#host.events;
  }

  /** Stops workerd. Persisted state stays in the persist directory. */
  async close(): Promise<void> {
    await this.#host.mf.dispose();
    if (this.#host.persistDir === undefined) removeScratchDir(this.#host.storageDir);
  }

  #call<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.#host.control.call<T>(method, ...args);
  }
}
