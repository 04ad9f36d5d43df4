/**
 * The reset ledger: for every known Durable Object, the version it is assigned in each deployment,
 * the version actually running it, and every change of running version as a reset. The state is a
 * plain value (hosts persist it as JSON); the functions below update it in place and return what
 * happened, so a deployment over many objects costs no copying.
 *
 * `immediate` deployments switch every moved object at once. `deferred` ones let a live object
 * keep its old version until it goes idle or its deadline passes; objects that are not live, and
 * objects that did not move, never wait.
 */
import { cumulativeBounds, entryIndexForSlot } from "./assignment.js";
import type { Deployment, VersionId } from "./types.js";

/** Why a running version changed. */
export type ResetCause = "deployment" | "idle" | "deadline";

/** One change of the version running an object. */
export interface ResetRecord {
  readonly objectId: string;
  readonly deploymentId: string;
  readonly from: VersionId;
  readonly to: VersionId;
  readonly atMs: number;
  readonly cause: ResetCause;
  /** True when an in-memory instance was running and was dropped. */
  readonly live: boolean;
}

/** A deferred switch waiting for the object to go idle or for its deadline. */
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
  pending?: PendingUpdate;
  /** Assigned version per deployment, from the deployment in which the object became known. */
  readonly history: { deploymentId: string; versionId: VersionId }[];
}

/** The whole ledger. */
export interface LedgerState {
  deployment?: Deployment;
  readonly objects: Record<string, ObjectRecord>;
  readonly resets: ResetRecord[];
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

/** A new, empty ledger. */
export function emptyLedger(): LedgerState {
  return { objects: {}, resets: [] };
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

function switchRunning(ledger: LedgerState, record: ObjectRecord, to: VersionId, deploymentId: string, atMs: number, cause: ResetCause): ResetRecord {
  const reset: ResetRecord = { objectId: record.id, deploymentId, from: record.running, to, atMs, cause, live: record.live };
  record.running = to;
  record.live = false;
  delete record.pending;
  ledger.resets.push(reset);
  return reset;
}

/** Makes `deployment` the active one and moves every known object it reassigns. */
export function applyDeployment(ledger: LedgerState, deployment: Deployment, nowMs: number): DeploymentEffect {
  const bounds = cumulativeBounds(deployment.entries);
  const effect: DeploymentEffect = { deploymentId: deployment.id, moves: [], resets: [], deferred: [] };
  ledger.deployment = deployment;
  for (const record of Object.values(ledger.objects)) {
    const to = assignedVersion(deployment, bounds, record.slot);
    record.history.push({ deploymentId: deployment.id, versionId: to });
    if (to !== record.assigned) effect.moves.push({ objectId: record.id, from: record.assigned, to });
    record.assigned = to;
    if (to === record.running) {
      delete record.pending; // a deferred switch the new deployment undid: nothing to reset
      continue;
    }
    if (deployment.codeUpdate.mode === "deferred" && record.live) {
      // An object already waiting keeps its earlier deadline unless this deployment allows less.
      const deadlineMs = Math.min(record.pending?.deadlineMs ?? Infinity, nowMs + deployment.codeUpdate.maxDelayMs);
      record.pending = { to, deploymentId: deployment.id, deadlineMs };
      effect.deferred.push({ objectId: record.id, pending: record.pending });
      continue;
    }
    effect.resets.push(switchRunning(ledger, record, to, deployment.id, nowMs, "deployment"));
  }
  return effect;
}

/**
 * Called when a request reaches an object: applies an overdue deferred switch first, marks the
 * object live, and returns the version that must serve it plus the reset that just happened, if any.
 */
export function touchObject(ledger: LedgerState, objectId: string, nowMs: number): { versionId: VersionId; reset?: ResetRecord } {
  const record = ledger.objects[objectId];
  if (record === undefined) throw new Error(`object ${objectId} is not known to the ledger`);
  let reset: ResetRecord | undefined;
  if (record.pending !== undefined && record.pending.deadlineMs <= nowMs) {
    reset = switchRunning(ledger, record, record.pending.to, record.pending.deploymentId, nowMs, "deadline");
  }
  record.live = true;
  return reset === undefined ? { versionId: record.running } : { versionId: record.running, reset };
}

/**
 * Called when an object's instance goes away: a waiting switch happens now. The instance is already
 * gone, so that reset drops nothing in memory and is recorded with `live: false`.
 */
export function objectIdle(ledger: LedgerState, objectId: string, nowMs: number): ResetRecord | undefined {
  const record = ledger.objects[objectId];
  if (record === undefined) return undefined;
  record.live = false;
  if (record.pending !== undefined) return switchRunning(ledger, record, record.pending.to, record.pending.deploymentId, nowMs, "idle");
  return undefined;
}

/** Applies every deferred switch whose deadline is at or before `nowMs`, in deadline order. */
export function advanceLedger(ledger: LedgerState, nowMs: number): ResetRecord[] {
  const due = Object.values(ledger.objects)
    .filter((record) => record.pending !== undefined && record.pending.deadlineMs <= nowMs)
    .sort((a, b) => a.pending!.deadlineMs - b.pending!.deadlineMs || (a.id < b.id ? -1 : 1));
  return due.map((record) => switchRunning(ledger, record, record.pending!.to, record.pending!.deploymentId, record.pending!.deadlineMs, "deadline"));
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
