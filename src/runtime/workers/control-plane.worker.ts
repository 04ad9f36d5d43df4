/**
 * The control plane: one SQLite-backed Durable Object that holds the Worker's versions and
 * deployments, the reset ledger and the virtual clock. Every rule comes from src/model; this class
 * only stores state, calls the model, and carries out what it decides inside workerd: pushing the
 * routing to the edge, and resetting live instances whose version changed.
 */
import { DurableObject } from "cloudflare:workers";
import { resolveCodeUpdate, type CodeUpdateRequest } from "../../model/code-update.js";
import { deployVersions, fullDeploy, type DeployOutcome } from "../../model/deploy.js";
import { ok, type Result } from "../../model/errors.js";
import {
  advanceLedger,
  applyDeployment,
  emptyLedger,
  forgetObjects,
  knowObject,
  markNotHibernatable,
  objectIdle,
  touchObject,
  type DeploymentEffect,
  type InstanceEnd,
  type LedgerState,
  type ResetRecord,
} from "../../model/ledger.js";
import { alarmVersion } from "../../model/alarms.js";
import { DEFAULT_LIMITS, withLimits, type Limits } from "../../model/limits.js";
import { createObjectIdFactory } from "../../model/object-ids.js";
import { objectSlotFromId } from "../../model/object-slots.js";
import { createRandom, randomUuid } from "../../model/random.js";
import { rollback, type RollbackOptions } from "../../model/rollback.js";
import { changeSecrets, changeVersionSecrets, setOne, type SecretChange } from "../../model/secrets.js";
import { activeDeployment, type ModelContext, type Version, type WorkerState } from "../../model/types.js";
import { uploadVersion, type VersionInput } from "../../model/versions.js";
import { deleteObjects, loadSnapshot, saveEnds, saveObjects, saveResets, saveWorker, type ControlMeta, type StoredObject } from "./control-store.js";
import { RESET_REASON, type SlotLoad, type Topology, type VersionSync } from "./protocol.js";
import { InstanceJournal } from "./instance-journal.js";
import { objectStubOn } from "./object-stub.js";
import { DrainingInstances, type DrainingInstance } from "./draining-instances.js";
import type { ShutdownAnswer } from "./object-class.js";
import { stashVersionTraces } from "./trace-stash.js";
import { everyControl, SlotTable, versionNames, type SlotAnswer, type SlotLoadAnswer } from "./slot-table.js";
import type { MigrationEffects } from "../../model/class-migrations.js";
import type { BootState, DeployRequest, InstanceEvent, JournalView, RoutingInfo, ControlSnapshotView } from "./control-api.js";

type Env = Record<string, unknown> & {
  readonly DOSIM_BOOT: BootState;
  /** Set when the host restarted workerd to load versions: see {@link ControlPlane.#load}. */
  readonly DOSIM_PLANNED_RESTART?: boolean;
  readonly DOSIM_TOPOLOGY: Topology;
  readonly EDGE_CONTROL: { setRouting(info: RoutingInfo): Promise<void> };
};

type AnyFunction = (...args: unknown[]) => Promise<unknown>;

/** A live instance, as its wrapper reported it. */
interface LiveInstance {
  readonly versionId: string;
  readonly className: string;
  readonly instance: string;
}

export class ControlPlane extends DurableObject<Env> {
  #meta!: ControlMeta;
  #worker!: WorkerState;
  #ledger: LedgerState = emptyLedger();
  #classes = new Map<string, string>();
  #limits: Limits = DEFAULT_LIMITS;
  #random!: () => number;
  /** Live instances by object id (in memory: a workerd restart ends them all). */
  readonly #live = new Map<string, LiveInstance>();
  /** Resets being carried out, by object id; routing an object waits for its reset. */
  readonly #resetting = new Map<string, Promise<void>>();
  readonly #instances = new InstanceJournal();
  /** Instances shut down with work in flight, not yet ended (draining-instances.ts). */
  readonly #draining = new DrainingInstances();
  /** Versions loaded into spare slots since workerd started (slot-table.ts). */
  readonly #slots = new SlotTable();
  /** Bumped at every change of assignments or time; version isolates drop cached routes on a new one. */
  #epoch = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(() => this.#load());
  }

  async #load(): Promise<void> {
    const boot = this.env.DOSIM_BOOT;
    this.#limits = withLimits(boot.limits ?? {});
    const stored = await loadSnapshot(this.ctx.storage);
    if (stored === undefined) {
      this.#meta = { workerName: boot.state.name, seed: boot.seed, draws: boot.draws, nowMs: boot.nowMs };
      this.#worker = boot.state;
      this.#ledger = emptyLedger(boot.seed);
      const first = activeDeployment(boot.state);
      if (first !== undefined) applyDeployment(this.#ledger, first, boot.nowMs);
      await saveWorker(this.ctx.storage, this.#meta, this.#worker);
    } else {
      this.#meta = stored.meta;
      this.#worker = stored.worker;
      this.#ledger = stored.ledger;
      this.#classes = stored.classes;
      // A restart the host made to load versions is invisible to the simulated platform (an
      // upload changes nothing that runs): objects stay live and deferred updates keep waiting.
      if (this.env.DOSIM_PLANNED_RESTART !== true) await this.#endInstancesOfLastRun();
    }
    const source = createRandom(this.#meta.seed);
    for (let i = 0; i < this.#meta.draws; i++) source();
    this.#random = () => {
      this.#meta.draws++;
      return source();
    };
  }

  /**
   * workerd (re)started, so no instance of any object is running, whatever the stored ledger says.
   * Each object it held as live goes idle now; a deferred switch that was waiting for it happens,
   * as it would when the instance goes away on the platform. (The restart itself is a simulator
   * event the host reports; the ledger only records the switches.)
   */
  async #endInstancesOfLastRun(): Promise<void> {
    const ended = Object.values(this.#ledger.objects).filter((record) => record.live).map((record) => record.id);
    if (ended.length === 0) return;
    const mark = this.#mark();
    for (const objectId of ended) objectIdle(this.#ledger, objectId, this.#meta.nowMs);
    await this.#persistSince(mark);
  }

  /**
   * The model's context. With a staged version (registered as a worker before start, see
   * `SimulatorOptions.staged`) the first id the model asks for, the new version's, is the staged
   * id; the seeded stream gives every other id.
   */
  #context(staged?: Version): ModelContext {
    let stagedId = staged?.id;
    const newId = (): string => {
      if (stagedId === undefined) return randomUuid(this.#random);
      const id = stagedId;
      stagedId = undefined;
      return id;
    };
    return { nowMs: this.#meta.nowMs, newId };
  }

  /** Throws (an internal error, never a refusal) when a version differs from the one staged for it. */
  #verifyStaged(created: Version, staged: Version | undefined): void {
    if (staged === undefined) return;
    const differing = stagedVersionDifferences(created, staged);
    if (differing.length > 0) {
      throw new Error(
        `internal error: version ${created.number} differs from the staged version ${staged.number} (${staged.id}) in ${differing.join(", ")}; the scenario's dry run diverged from the host`,
      );
    }
  }

  // ---- Asked by the edge and the routing binding, on the request path ----

  /** The active deployment, for the edge's router. */
  routing(): RoutingInfo {
    const deployment = activeDeployment(this.#worker);
    return { workerName: this.#meta.workerName, seed: this.#meta.seed, nowMs: this.#meta.nowMs, deployment: deployment ?? null, slots: this.#slots.assignments() };
  }

  /** The virtual time. */
  clock(): number {
    return this.#meta.nowMs;
  }

  /** The version that serves an object now (recording the object as known and live). */
  async objectVersion(request: { className: string; objectId: string; name?: string }): Promise<{ versionId: string } & SlotAnswer> {
    await this.#resetting.get(request.objectId);
    const { objectId } = request;
    const known = this.#ledger.objects[objectId];
    const record = known ?? knowObject(this.#ledger, { id: objectId, slot: objectSlotFromId(objectId), ...(request.name !== undefined && { name: request.name }) });
    // Only a change of liveness or version is stored: the time of the last request matters to the
    // lifecycle of a live instance, and a restart of workerd ends every live instance anyway.
    const before = record.live && record.pending === undefined;
    const mark = this.#mark();
    const { versionId } = touchObject(this.#ledger, objectId, this.#meta.nowMs);
    if (known === undefined) this.#classes.set(objectId, request.className);
    // A draining instance of that version would take the call: it ends first.
    const draining = this.#draining.get(objectId, versionId);
    if (draining !== undefined) await this.#endDraining(draining, true);
    const { resets, ends } = this.#since(mark);
    const changed = resets.length > 0 || ends.length > 0;
    if (known === undefined || !before || changed) {
      void saveObjects(this.ctx.storage, [this.#stored(objectId)]);
    }
    if (changed) {
      void saveResets(this.ctx.storage, resets, mark.resets);
      void saveEnds(this.ctx.storage, ends, mark.ends);
      await this.#sync();
      await this.#endLive(resets, ends);
    }
    const version = this.#worker.versions.find((candidate) => candidate.id === versionId);
    // The annotations too: the routing binding's traces carry them, and it holds no topology.
    const annotations = { ...(version?.tag !== undefined && { tag: version.tag }), ...(version?.message !== undefined && { message: version.message }) };
    return { versionId, ...annotations, ...this.#slots.answerFor(version) };
  }

  /** A wrapped instance reports its start; it may serve only if its version runs the object. */
  instanceStarted(report: { className: string; objectId: string; versionId: string; instance: string }): { accepted: boolean; nowMs: number } {
    const record = this.#ledger.objects[report.objectId];
    const accepted = record !== undefined && record.running === report.versionId;
    const other = this.#live.get(report.objectId);
    const overlapping = accepted && other !== undefined && other.instance !== report.instance;
    this.#instances.record({
      kind: accepted ? "start" : "refused",
      objectId: report.objectId,
      versionId: report.versionId,
      instance: report.instance,
      atMs: this.#meta.nowMs,
      ...(overlapping && { overlapsWith: other!.instance }),
    });
    if (accepted) this.#live.set(report.objectId, { versionId: report.versionId, className: report.className, instance: report.instance });
    return { accepted, nowMs: this.#meta.nowMs };
  }

  /**
   * The object's live instance holds a standard-API WebSocket, so it cannot hibernate: it stays in
   * memory until evicted (70–140 s of inactivity) or reset (src/model/lifecycle.ts).
   */
  async cannotHibernate(request: { objectId: string }): Promise<void> {
    if (!markNotHibernatable(this.#ledger, request.objectId)) return;
    await saveObjects(this.ctx.storage, [this.#stored(request.objectId)]);
  }

  /**
   * Runs an alarm on the version that runs the object now (docs: an alarm belongs to the object).
   * An instance of the version that set the alarm, woken by it after the object moved, hands it
   * over here; the alarm reaches the object as any event does (it becomes live, its pending switch
   * lands if due), and a failure goes back to the caller, which retries as workerd would.
   */
  async runAlarm(request: { className: string; objectId: string; alarmInfo: unknown }): Promise<void> {
    const { versionId } = await this.objectVersion({ className: request.className, objectId: request.objectId });
    const binding = this.#names(alarmVersion({ running: versionId }))?.namespaces[request.className];
    const namespace = binding === undefined ? undefined : (this.env[binding] as DurableObjectNamespace | undefined);
    if (namespace === undefined) throw new Error(`dosim: version ${versionId} has no ${request.className} namespace loaded`);
    const stub = objectStubOn(namespace, request.objectId, this.#ledger.objects[request.objectId]?.name) as unknown as Record<string, AnyFunction>;
    await stub.__dosimAlarm!(request.alarmInfo);
  }

  /**
   * Drains the versions' trace events into this isolate's stash (the host gets them first at its
   * next drain), and says how many it holds: bulk traffic calls this just before a `during`
   * operation, so the host knows which events came before it.
   */
  stashTraces(): Promise<number> {
    return stashVersionTraces(this.env);
  }

  // ---- Asked by the host ----

  /** Everything the host reads: versions, deployments, the ledger, the clock, instance events. */
  snapshot(): ControlSnapshotView {
    return {
      worker: this.#worker,
      ledger: this.#ledger,
      nowMs: this.#meta.nowMs,
      classes: Object.fromEntries(this.#classes),
      liveInstances: Object.fromEntries([...this.#live].map(([id, live]) => [id, live.versionId])),
      instanceEvents: this.#instances.recent(),
      instanceCounts: this.#instances.counts(),
    };
  }

  /** A slice of the ledger (for a request log): resets from `resetsFrom` on, and the given objects. */
  journal(request: { resetsFrom: number; objectIds: readonly string[] }): JournalView {
    const objects: Record<string, JournalView["objects"][string]> = {};
    for (const id of request.objectIds) {
      const record = this.#ledger.objects[id];
      if (record !== undefined) objects[id] = { ...(record.name !== undefined && { name: record.name }), running: record.running, live: record.live };
    }
    return { resetsTotal: this.#ledger.resets.length, objectCount: Object.keys(this.#ledger.objects).length, resets: this.#ledger.resets.slice(request.resetsFrom), objects };
  }

  /** `versions upload`. */
  async upload(input: VersionInput, staged?: Version): Promise<Result<Version>> {
    const outcome = uploadVersion(this.#worker, input, this.#context(staged), this.#limits);
    if (!outcome.ok) return outcome;
    this.#verifyStaged(outcome.value.version, staged);
    await this.#commit(outcome.value.state);
    return ok(outcome.value.version);
  }

  /**
   * `versions secret put/delete/bulk` (a new undeployed version) or, with `deploy`, `secret
   * put/delete/bulk`: `change` sets and deletes; `name` and `value` set one secret.
   */
  async putSecret(request: { name?: string; value?: string; change?: SecretChange; deploy: boolean; message?: string; tag?: string; codeUpdate?: CodeUpdateRequest; staged?: Version }): Promise<Result<{ version: Version; effect?: DeploymentEffect }>> {
    const codeUpdate = resolveCodeUpdate(request.codeUpdate, this.#limits);
    if (!codeUpdate.ok) return codeUpdate;
    const ctx = this.#context(request.staged);
    const change = request.change ?? setOne(request.name ?? "", request.value ?? "");
    const annotations = { ...(request.message !== undefined && { message: request.message }), ...(request.tag !== undefined && { tag: request.tag }) };
    const outcome = request.deploy
      ? changeSecrets(this.#worker, change, ctx, this.#limits, codeUpdate.value)
      : changeVersionSecrets(this.#worker, change, ctx, annotations, this.#limits);
    if (!outcome.ok) return outcome;
    this.#verifyStaged(outcome.value.version, request.staged);
    if (outcome.value.deployment === undefined) {
      await this.#commit(outcome.value.state);
      return ok({ version: outcome.value.version });
    }
    const effect = await this.#deployed({ state: outcome.value.state, deployment: outcome.value.deployment });
    return ok({ version: outcome.value.version, effect });
  }

  /** `versions deploy`. */
  async deploy(request: DeployRequest): Promise<Result<{ deploymentId: string; effect: DeploymentEffect }>> {
    const codeUpdate = resolveCodeUpdate(request.codeUpdate, this.#limits);
    if (!codeUpdate.ok) return codeUpdate;
    const options = {
      codeUpdate: codeUpdate.value,
      ...(request.message !== undefined && { message: request.message }),
      ...(request.labels !== undefined && { labels: request.labels }),
    };
    const outcome = deployVersions(this.#worker, request.spec, this.#context(), options, this.#limits);
    if (!outcome.ok) return outcome;
    return ok({ deploymentId: outcome.value.deployment.id, effect: await this.#deployed(outcome.value) });
  }

  /** Full `deploy`: a new version at 100% at once (the only way to apply a migration). */
  async fullDeploy(request: {
    input: VersionInput;
    message?: string;
    codeUpdate?: CodeUpdateRequest;
    staged?: Version;
    migration?: MigrationEffects;
  }): Promise<Result<{ version: Version; effect: DeploymentEffect }>> {
    const codeUpdate = resolveCodeUpdate(request.codeUpdate, this.#limits);
    if (!codeUpdate.ok) return codeUpdate;
    const options = { codeUpdate: codeUpdate.value, ...(request.message !== undefined && { message: request.message }) };
    const outcome = fullDeploy(this.#worker, request.input, this.#context(request.staged), options, this.#limits);
    if (!outcome.ok) return outcome;
    this.#verifyStaged(outcome.value.version!, request.staged);
    if (request.migration !== undefined) await this.#migrateClasses(request.migration);
    return ok({ version: outcome.value.version!, effect: await this.#deployed(outcome.value) });
  }

  /**
   * Applies a deploy's class migrations to the objects it knows, before the new deployment assigns
   * them: a renamed class's objects are the new class's (same ids, same data), and a deleted
   * class's objects end now and are forgotten (the host deletes their stored data).
   */
  async #migrateClasses(migration: MigrationEffects): Promise<void> {
    for (const { from, to } of migration.renamed) {
      for (const [id, className] of this.#classes) if (className === from) this.#classes.set(id, to);
    }
    const deleted = new Set(migration.deleted.map((entry) => entry.className));
    const gone = [...this.#classes].filter(([, className]) => deleted.has(className)).map(([id]) => id);
    if (gone.length === 0) return;
    await Promise.all(gone.map((id) => this.#live.get(id)).map((live, index) => (live === undefined ? undefined : this.#reset(gone[index]!, live.versionId))));
    forgetObjects(this.#ledger, gone);
    for (const id of gone) this.#classes.delete(id);
    await deleteObjects(this.ctx.storage, gone);
  }

  /** `rollback`. */
  async rollback(request: RollbackOptions & { codeUpdate?: CodeUpdateRequest }): Promise<Result<{ deploymentId: string; effect: DeploymentEffect }>> {
    const codeUpdate = resolveCodeUpdate(request.codeUpdate, this.#limits);
    if (!codeUpdate.ok) return codeUpdate;
    const outcome = rollback(this.#worker, { ...request, codeUpdate: codeUpdate.value }, this.#context(), this.#limits);
    if (!outcome.ok) return outcome;
    return ok({ deploymentId: outcome.value.deployment.id, effect: await this.#deployed(outcome.value) });
  }

  /**
   * Moves the virtual clock forward: quiet instances hibernate or are evicted, deferred updates
   * whose deadline passed reset their objects, and the instances that ended are dropped in workerd.
   */
  async advance(request: { ms: number }): Promise<{ nowMs: number; resets: ResetRecord[]; ends: InstanceEnd[] }> {
    if (!Number.isFinite(request.ms) || request.ms < 0) throw new RangeError(`time only moves forward (got ${request.ms} ms)`);
    this.#meta.nowMs += request.ms;
    const mark = this.#mark();
    advanceLedger(this.#ledger, this.#meta.nowMs);
    const { resets, ends } = await this.#persistSince(mark);
    await saveWorker(this.ctx.storage, this.#meta, this.#worker);
    await this.#sync();
    await this.#endLive(resets, ends);
    await Promise.all(this.#draining.all().map((draining) => this.#endDraining(draining, this.#meta.nowMs >= draining.graceEndsMs)));
    return { nowMs: this.#meta.nowMs, resets, ends };
  }

  /**
   * Stores everything held only in memory (each object's last activity, the random draws) before
   * the host restarts workerd to load versions, so the restarted control plane goes on from here.
   */
  async persistAll(): Promise<void> {
    await saveWorker(this.ctx.storage, this.#meta, this.#worker);
    await saveObjects(this.ctx.storage, Object.keys(this.#ledger.objects).map((id) => this.#stored(id)));
  }

  /**
   * Loads a version uploaded after workerd started into a free spare slot (the host checked that
   * it fits), so a deployment can run it with no restart; routing learns of it at once.
   */
  async loadSlot(request: { slot: number; versionId: string; load: SlotLoad }): Promise<SlotLoadAnswer> {
    const answer = await this.#slots.load(this.env, request);
    if (answer.ok) await this.#sync();
    return answer;
  }

  /** Declares objects by name (so the ledger speaks of them before they get traffic). */
  async declareObjects(request: { className: string; names: readonly string[] }): Promise<{ ids: string[] }> {
    const uniqueKey = this.env.DOSIM_TOPOLOGY.uniqueKeys[request.className];
    if (uniqueKey === undefined) throw new Error(`unknown Durable Object class ${request.className}`);
    const factory = createObjectIdFactory(uniqueKey);
    const fresh: string[] = [];
    const ids = request.names.map((name) => {
      const id = factory.idFromName(name);
      if (this.#ledger.objects[id] === undefined) {
        knowObject(this.#ledger, { id, name, slot: objectSlotFromId(id) });
        this.#classes.set(id, request.className);
        fresh.push(id);
      }
      return id;
    });
    await saveObjects(this.ctx.storage, fresh.map((id) => this.#stored(id)));
    return { ids };
  }

  /** Resets a live object because it went idle (a waiting deferred switch happens now). */
  async idle(request: { objectId: string }): Promise<{ reset?: ResetRecord }> {
    const live = this.#live.get(request.objectId);
    const mark = this.#mark();
    const reset = objectIdle(this.#ledger, request.objectId, this.#meta.nowMs);
    await this.#sync();
    if (live !== undefined) await this.#reset(request.objectId, live.versionId);
    if (this.#ledger.objects[request.objectId] !== undefined) await saveObjects(this.ctx.storage, [this.#stored(request.objectId)]);
    await this.#persistSince(mark);
    return reset === undefined ? {} : { reset };
  }

  // ---- Internals ----

  /** The bindings of a version: its own worker's or its slot's. */
  #names(versionId: string): ReturnType<typeof versionNames> {
    return versionNames(this.env.DOSIM_TOPOLOGY, this.#slots.assignments(), versionId);
  }

  #stored(objectId: string): StoredObject {
    return { className: this.#classes.get(objectId) ?? "", record: this.#ledger.objects[objectId]! };
  }

  async #commit(state: WorkerState): Promise<void> {
    this.#worker = state;
    await saveWorker(this.ctx.storage, this.#meta, this.#worker);
  }

  /** Makes a new deployment active: ledger, storage, edge routing, then resets of live instances. */
  async #deployed(outcome: Pick<DeployOutcome, "state" | "deployment">): Promise<DeploymentEffect> {
    const mark = this.#mark();
    const effect = applyDeployment(this.#ledger, outcome.deployment, this.#meta.nowMs);
    // Routing waits for every reset below, from this synchronous point on.
    const done = this.#endLive(effect.resets, this.#since(mark).ends);
    this.#worker = outcome.state;
    await saveWorker(this.ctx.storage, this.#meta, this.#worker);
    await saveObjects(this.ctx.storage, Object.keys(this.#ledger.objects).map((id) => this.#stored(id)));
    await this.#persistSince(mark);
    await this.#sync();
    await done;
    return effect;
  }

  /** Where the ledger's reset and end logs stand, to find what an operation added. */
  #mark(): { resets: number; ends: number } {
    return { resets: this.#ledger.resets.length, ends: this.#ledger.ends.length };
  }

  #since(mark: { resets: number; ends: number }): { resets: ResetRecord[]; ends: InstanceEnd[] } {
    return { resets: this.#ledger.resets.slice(mark.resets), ends: this.#ledger.ends.slice(mark.ends) };
  }

  /** Stores the resets and ends added since `mark`, and the records of the objects they touched. */
  async #persistSince(mark: { resets: number; ends: number }): Promise<{ resets: ResetRecord[]; ends: InstanceEnd[] }> {
    const added = this.#since(mark);
    const touched = new Set([...added.resets.map((reset) => reset.objectId), ...added.ends.map((end) => end.objectId)]);
    await saveObjects(this.ctx.storage, [...touched].map((id) => this.#stored(id)));
    if (added.resets.length > 0) await saveResets(this.ctx.storage, added.resets, mark.resets);
    if (added.ends.length > 0) await saveEnds(this.ctx.storage, added.ends, mark.ends);
    return added;
  }

  /** Drops the in-memory instances that the given resets and instance ends say are over. */
  #endLive(resets: readonly ResetRecord[], ends: readonly InstanceEnd[]): Promise<void> {
    const over = [...resets.map((reset) => [reset.objectId, reset.from] as const), ...ends.map((end) => [end.objectId, end.versionId] as const)];
    return Promise.all(over.map(([objectId, versionId]) => this.#reset(objectId, versionId))).then(() => undefined);
  }

  /**
   * Shuts down the live instance of `objectId` if it runs `versionId` (src/model/shutdown.ts): it
   * ends now, or drains its work in flight; routing to the object waits for the shutdown itself.
   */
  #reset(objectId: string, versionId: string): Promise<void> {
    const live = this.#live.get(objectId);
    if (live === undefined || live.versionId !== versionId) return Promise.resolve();
    this.#live.delete(objectId);
    this.#instances.record({ kind: "stop", objectId, versionId, instance: live.instance, atMs: this.#meta.nowMs });
    const instance = { objectId, versionId, className: live.className };
    const done = this.#callInstance<ShutdownAnswer>(instance, "__dosimShutdown").then((answer) => {
      if (answer === "draining") this.#draining.add(instance, this.#meta.nowMs);
    });
    const tracked = done.finally(() => {
      if (this.#resetting.get(objectId) === tracked) this.#resetting.delete(objectId);
    });
    this.#resetting.set(objectId, tracked);
    return tracked;
  }

  /** Ends a draining instance whose work is done, or in any case once `graceOver`. */
  #endDraining(draining: DrainingInstance, graceOver: boolean): Promise<void> {
    return this.#draining.settle(draining, async () => (await this.#callInstance<ShutdownAnswer>(draining, "__dosimEndIfDrained", graceOver)) === "ended");
  }

  /**
   * Calls one of dosim's methods on an object's instance of a version. The instance's own abort
   * rejects the call: that is the instance ending, answered as "ended". Any other refusal means it
   * did not end, which must never pass for it.
   */
  async #callInstance<T>(instance: { objectId: string; versionId: string; className: string }, method: string, ...args: unknown[]): Promise<T | "ended"> {
    const binding = this.#names(instance.versionId)?.namespaces[instance.className];
    const namespace = binding === undefined ? undefined : (this.env[binding] as DurableObjectNamespace | undefined);
    if (namespace === undefined) return "ended";
    const stub = objectStubOn(namespace, instance.objectId, this.#ledger.objects[instance.objectId]?.name) as unknown as Record<string, AnyFunction>;
    try {
      return (await stub[method]!(...args)) as T;
    } catch (error) {
      if (isResetError(error)) return "ended";
      throw new Error(`dosim: could not shut down ${instance.className} ${instance.objectId} on version ${instance.versionId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Pushes the active deployment to the edge, and the new epoch and time to every version isolate. */
  async #sync(): Promise<void> {
    const update: VersionSync = { epoch: ++this.#epoch, nowMs: this.#meta.nowMs };
    const controls = everyControl(this.env.DOSIM_TOPOLOGY).map((control) => this.env[control] as { sync(update: VersionSync): Promise<void> });
    await Promise.all([this.env.EDGE_CONTROL.setRouting(this.routing()), ...controls.map((control) => control.sync(update))]);
  }
}

/** Whether an error is the one an instance's reset gives its callers. */
function isResetError(error: unknown): boolean {
  return error instanceof Error && ((error as { durableObjectReset?: unknown }).durableObjectReset === true || error.message.includes(RESET_REASON));
}

/** The fields in which a created version differs from the staged one (ids, number, time, annotations, bindings). */
function stagedVersionDifferences(created: Version, staged: Version): string[] {
  const fields = ["id", "number", "createdAtMs", "tag", "message", "triggeredBy", "migrationTag", "source", "vars", "secrets"] as const;
  const canonical = (value: unknown): string =>
    JSON.stringify(value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : (value ?? null));
  return fields.filter((field) => canonical(created[field]) !== canonical(staged[field]));
}
