/**
 * The reset ledger: for every known Durable Object, the version it is assigned in each deployment,
 * the version actually running it, every change of running version as a reset, and every end of an
 * in-memory instance with its reason. The state is a plain value (hosts persist it as JSON); the
 * functions below update it in place and return what happened, so a deployment over many objects
 * costs no copying.
 *
 * `immediate` deployments (and `deferred` ones with `max_delay: 0`, which the docs' table says
 * behave identically) switch every reassigned object at once. `deferred` ones let a live object
 * keep its old version until its instance ends on its own (see ./lifecycle.ts) or its deadline
 * passes; objects that are not live, and objects that did not move, never wait.
 */
import { cumulativeBounds, entryIndexForSlot } from "./assignment.js";
import { inactivityEnd, type InstanceEndReason } from "./lifecycle.js";
import type { Deployment, VersionId } from "./types.js";

/** Why a running version changed: the reason the instance that ran the old version ended. */
export type ResetCause = InstanceEndReason;

/** One change of the version running an object. */
export interface ResetRecord {
  readonly objectId: string;
  readonly deploymentId: string;
  readonly from: VersionId;
  readonly to: VersionId;
  readonly atMs: number;
  readonly cause: ResetCause;
  /** True when an in-memory instance was running and was dropped by this switch. */
  readonly live: boolean;
}

/** The end of one in-memory instance, whatever ended it. */
export interface InstanceEnd {
  readonly objectId: string;
  /** The version the instance ran. */
  readonly versionId: VersionId;
  readonly atMs: number;
  readonly reason: InstanceEndReason;
}

/** A deferred switch waiting for the object's instance to end or for its deadline. */
export interface PendingUpdate {
  readonly to: VersionId;
  readonly deploymentId: string;
  readonly deadlineMs: number;
}

/** What the ledger knows of one object. */
export interface ObjectRecord {
  readonly id: string;
  readonly name?: string;
  readonly slot: number;
  /** The version the active deployment assigns. */
  assigned: VersionId;
  /** The version that runs it now (differs from `assigned` only while an update is deferred). */
  running: VersionId;
  /** Whether an in-memory instance exists. */
  live: boolean;
  /** When the live instance last received a request or event. */
  lastActiveMs?: number;
  /** False when the live instance cannot hibernate (absent means it can). */
  hibernatable?: boolean;
  pending?: PendingUpdate;
  /** Assigned version per deployment, from the deployment in which the object became known. */
  readonly history: { deploymentId: string; versionId: VersionId }[];
}

/** The whole ledger. */
export interface LedgerState {
  deployment?: Deployment;
  /** The run's seed: it fixes each eviction delay within the platform's 70–140 s. */
  seed?: string;
  readonly objects: Record<string, ObjectRecord>;
  readonly resets: ResetRecord[];
  readonly ends: InstanceEnd[];
}

/** An object moved to another version by a deployment. */
export interface Move {
  readonly objectId: string;
  readonly from: VersionId;
  readonly to: VersionId;
}

/** What applying a deployment did. */
export interface DeploymentEffect {
  readonly deploymentId: string;
  readonly moves: Move[];
  readonly resets: ResetRecord[];
  readonly deferred: { objectId: string; pending: PendingUpdate }[];
}

/** A new, empty ledger; `seed` fixes the eviction delays. */
export function emptyLedger(seed?: string): LedgerState {
  return { ...(seed !== undefined && { seed }), objects: {}, resets: [], ends: [] };
}

function assignedVersion(deployment: Deployment, bounds: Int32Array, slot: number): VersionId {
  return deployment.entries[entryIndexForSlot(bounds, slot)]!.versionId;
}

/**
 * Registers an object (declared by name or seen in a request). Returns its record; an object that
 * is already known is returned unchanged. Needs an active deployment to assign it a version.
 */
export function knowObject(ledger: LedgerState, object: { id: string; name?: string; slot: number }): ObjectRecord {
  const known = ledger.objects[object.id];
  if (known !== undefined) return known;
  const deployment = ledger.deployment;
  if (deployment === undefined) throw new Error("objects can only be assigned once the Worker is deployed");
  const versionId = assignedVersion(deployment, cumulativeBounds(deployment.entries), object.slot);
  const record: ObjectRecord = {
    id: object.id,
    ...(object.name !== undefined && { name: object.name }),
    slot: object.slot,
    assigned: versionId,
    running: versionId,
    live: false,
    history: [{ deploymentId: deployment.id, versionId }],
  };
  ledger.objects[object.id] = record;
  return record;
}

/** Ends the object's live instance (if any) at `atMs`, recording why. */
function endInstance(ledger: LedgerState, record: ObjectRecord, atMs: number, reason: InstanceEndReason): void {
  if (record.live) ledger.ends.push({ objectId: record.id, versionId: record.running, atMs, reason });
  record.live = false;
  delete record.lastActiveMs;
  delete record.hibernatable;
}

/**
 * Switches the running version to `to`, ending the live instance if there still is one (a code
 * update or a deadline drops it; `live` on the record says whether it did).
 */
function switchRunning(ledger: LedgerState, record: ObjectRecord, to: VersionId, deploymentId: string, atMs: number, cause: ResetCause): ResetRecord {
  const reset: ResetRecord = { objectId: record.id, deploymentId, from: record.running, to, atMs, cause, live: record.live };
  endInstance(ledger, record, atMs, cause);
  record.running = to;
  delete record.pending;
  ledger.resets.push(reset);
  return reset;
}

/** True when a deployment's strategy makes live objects wait (`deferred` with a delay above 0). */
function defers(deployment: Deployment): deployment is Deployment & { codeUpdate: { mode: "deferred"; maxDelayMs: number } } {
  return deployment.codeUpdate.mode === "deferred" && deployment.codeUpdate.maxDelayMs > 0;
}

/**
 * Makes `deployment` the active one and moves every known object it reassigns. Only reassigned
 * objects get this deployment's strategy and deadline: an object already waiting for an earlier
 * deployment's update, which this one leaves on the same version, keeps its own.
 */
export function applyDeployment(ledger: LedgerState, deployment: Deployment, nowMs: number): DeploymentEffect {
  const bounds = cumulativeBounds(deployment.entries);
  const effect: DeploymentEffect = { deploymentId: deployment.id, moves: [], resets: [], deferred: [] };
  ledger.deployment = deployment;
  for (const record of Object.values(ledger.objects)) {
    const to = assignedVersion(deployment, bounds, record.slot);
    record.history.push({ deploymentId: deployment.id, versionId: to });
    const reassigned = to !== record.assigned;
    if (reassigned) effect.moves.push({ objectId: record.id, from: record.assigned, to });
    record.assigned = to;
    if (to === record.running) {
      delete record.pending; // a deferred switch the new deployment undid: nothing to reset
      continue;
    }
    if (!reassigned && record.pending !== undefined) continue;
    if (defers(deployment) && record.live) {
      // Each deployment starts its own timer; the first to expire applies the latest version.
      const deadlineMs = Math.min(record.pending?.deadlineMs ?? Infinity, nowMs + deployment.codeUpdate.maxDelayMs);
      record.pending = { to, deploymentId: deployment.id, deadlineMs };
      effect.deferred.push({ objectId: record.id, pending: record.pending });
      continue;
    }
    effect.resets.push(switchRunning(ledger, record, to, deployment.id, nowMs, "code-update"));
  }
  return effect;
}

/** The next thing that happens to a live object by itself: its instance ends, or its deadline passes. */
function nextEvent(ledger: LedgerState, record: ObjectRecord): { atMs: number; reason: InstanceEndReason } | undefined {
  if (!record.live) return undefined;
  const quiet =
    record.lastActiveMs === undefined
      ? undefined
      : inactivityEnd(ledger.seed ?? "", { objectId: record.id, lastActiveMs: record.lastActiveMs, hibernatable: record.hibernatable !== false });
  const deadlineMs = record.pending?.deadlineMs;
  if (deadlineMs !== undefined && (quiet === undefined || deadlineMs < quiet.atMs)) return { atMs: deadlineMs, reason: "deadline" };
  return quiet;
}

/** Carries out an object's next event: its instance ends, and a switch waiting for that lands. */
function settle(ledger: LedgerState, record: ObjectRecord, event: { atMs: number; reason: InstanceEndReason }): ResetRecord | undefined {
  const pending = record.pending;
  // An instance that went away on its own is gone before the switch, which drops nothing in memory.
  if (event.reason !== "deadline" || pending === undefined) endInstance(ledger, record, event.atMs, event.reason);
  if (pending === undefined) return undefined;
  return switchRunning(ledger, record, pending.to, pending.deploymentId, event.atMs, event.reason);
}

/**
 * Called when a request or event reaches an object: whatever fell due for it first happens (its
 * instance hibernated, was evicted, or its deadline passed), then it is live and active at `nowMs`.
 * `hibernatable: false` says its instance cannot hibernate. Returns the version that must serve it
 * and the reset that just happened, if any.
 */
export function touchObject(ledger: LedgerState, objectId: string, nowMs: number, options: { hibernatable?: boolean } = {}): { versionId: VersionId; reset?: ResetRecord } {
  const record = ledger.objects[objectId];
  if (record === undefined) throw new Error(`object ${objectId} is not known to the ledger`);
  const due = nextEvent(ledger, record);
  const reset = due !== undefined && due.atMs <= nowMs ? settle(ledger, record, due) : undefined;
  record.live = true;
  record.lastActiveMs = nowMs;
  if (options.hibernatable === false) record.hibernatable = false;
  return reset === undefined ? { versionId: record.running } : { versionId: record.running, reset };
}

/**
 * Notes that an object's live instance cannot hibernate (it holds a standard-API WebSocket), until
 * the instance ends. Returns whether anything changed (false for an unknown or idle object).
 */
export function markNotHibernatable(ledger: LedgerState, objectId: string): boolean {
  const record = ledger.objects[objectId];
  if (record === undefined || !record.live || record.hibernatable === false) return false;
  record.hibernatable = false;
  return true;
}

/**
 * Ends an object's instance now, as if it hibernated (the scenario `idle` step, or a host that lost
 * its instances): a waiting switch happens, recorded with `live: false` since nothing in memory is
 * left to drop.
 */
export function objectIdle(ledger: LedgerState, objectId: string, nowMs: number): ResetRecord | undefined {
  const record = ledger.objects[objectId];
  if (record === undefined) return undefined;
  if (!record.live && record.pending === undefined) return undefined;
  return settle(ledger, record, { atMs: nowMs, reason: "hibernated" });
}

/**
 * Moves the ledger to `nowMs`: every live instance that has been quiet long enough hibernates or
 * is evicted, and every deadline that passed resets its object, in time order. Returns the resets.
 */
export function advanceLedger(ledger: LedgerState, nowMs: number): ResetRecord[] {
  const due: { record: ObjectRecord; event: { atMs: number; reason: InstanceEndReason } }[] = [];
  for (const record of Object.values(ledger.objects)) {
    const event = nextEvent(ledger, record);
    if (event !== undefined && event.atMs <= nowMs) due.push({ record, event });
  }
  due.sort((a, b) => a.event.atMs - b.event.atMs || (a.record.id < b.record.id ? -1 : 1));
  return due.flatMap(({ record, event }) => settle(ledger, record, event) ?? []);
}

/** The objects that currently have an in-memory instance, by id. */
export function liveObjects(ledger: LedgerState): string[] {
  return Object.values(ledger.objects)
    .filter((record) => record.live)
    .map((record) => record.id);
}

/** Resets per object id. */
export function resetCounts(ledger: LedgerState): Map<string, number> {
  const counts = new Map<string, number>();
  for (const reset of ledger.resets) counts.set(reset.objectId, (counts.get(reset.objectId) ?? 0) + 1);
  return counts;
}

/**
 * Forgets objects that no longer exist: a `deleted_classes` migration deletes a class with all its
 * objects (Cloudflare docs, "Durable Objects migrations"), so no deployment assigns them again.
 * Their past resets and instance ends stay in the logs.
 */
export function forgetObjects(ledger: LedgerState, objectIds: readonly string[]): void {
  for (const id of objectIds) delete ledger.objects[id];
}
