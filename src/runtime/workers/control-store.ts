/**
 * How the control plane keeps its state in Durable Object storage: the Worker's versions and
 * deployments under one key, every known object under its own key (so a request that changes one
 * object writes one row), and every reset and every instance end under an increasing key.
 */
import type { InstanceEnd, LedgerState, ObjectRecord, ResetRecord } from "../../model/ledger.js";
import type { WorkerState } from "../../model/types.js";

/** Run-wide facts, stored under one key. */
export interface ControlMeta {
  readonly workerName: string;
  readonly seed: string;
  /** How many numbers the id stream has drawn (it is replayed from the seed on load). */
  draws: number;
  nowMs: number;
}

/** A known object and the class it belongs to. */
export interface StoredObject {
  readonly className: string;
  readonly record: ObjectRecord;
}

/** Everything the control plane loads at start. */
export interface ControlSnapshot {
  readonly meta: ControlMeta;
  readonly worker: WorkerState;
  readonly ledger: LedgerState;
  readonly classes: Map<string, string>;
}

const META = "meta";
const WORKER = "worker";
const OBJECT_PREFIX = "object:";
const RESET_PREFIX = "reset:";
const END_PREFIX = "end:";
const BATCH = 128;

function logKey(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(12, "0")}`;
}

/** Reads the stored state, or undefined when the storage is empty. */
export async function loadSnapshot(storage: DurableObjectStorage): Promise<ControlSnapshot | undefined> {
  const meta = await storage.get<ControlMeta>(META);
  const worker = await storage.get<WorkerState>(WORKER);
  if (meta === undefined || worker === undefined) return undefined;
  const ledger: LedgerState = { seed: meta.seed, objects: {}, resets: [], ends: [] };
  const deployment = worker.deployments[worker.deployments.length - 1];
  if (deployment !== undefined) ledger.deployment = deployment;
  const classes = new Map<string, string>();
  for (const stored of (await storage.list<StoredObject>({ prefix: OBJECT_PREFIX })).values()) {
    ledger.objects[stored.record.id] = stored.record;
    classes.set(stored.record.id, stored.className);
  }
  ledger.resets.push(...(await storage.list<ResetRecord>({ prefix: RESET_PREFIX })).values());
  ledger.ends.push(...(await storage.list<InstanceEnd>({ prefix: END_PREFIX })).values());
  return { meta, worker, ledger, classes };
}

/** Writes the run facts and the Worker's versions and deployments. */
export async function saveWorker(storage: DurableObjectStorage, meta: ControlMeta, worker: WorkerState): Promise<void> {
  await storage.put({ [META]: meta, [WORKER]: worker });
}

/** Writes the given objects' records, in batches. */
export async function saveObjects(storage: DurableObjectStorage, objects: readonly StoredObject[]): Promise<void> {
  for (let start = 0; start < objects.length; start += BATCH) {
    const entries: Record<string, StoredObject> = {};
    for (const stored of objects.slice(start, start + BATCH)) entries[OBJECT_PREFIX + stored.record.id] = stored;
    await storage.put(entries);
  }
}

/** Appends resets, numbered from `firstIndex` (their position in the ledger). */
export function saveResets(storage: DurableObjectStorage, resets: readonly ResetRecord[], firstIndex: number): Promise<void> {
  return appendLog(storage, RESET_PREFIX, resets, firstIndex);
}

/** Appends instance ends, numbered from `firstIndex` (their position in the ledger). */
export function saveEnds(storage: DurableObjectStorage, ends: readonly InstanceEnd[], firstIndex: number): Promise<void> {
  return appendLog(storage, END_PREFIX, ends, firstIndex);
}

async function appendLog<T>(storage: DurableObjectStorage, prefix: string, entries: readonly T[], firstIndex: number): Promise<void> {
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch: Record<string, T> = {};
    entries.slice(start, start + BATCH).forEach((entry, offset) => {
      batch[logKey(prefix, firstIndex + start + offset)] = entry;
    });
    await storage.put(batch);
  }
}

/** Deletes the given objects' records (their class was deleted by a migration). */
export async function deleteObjects(storage: DurableObjectStorage, objectIds: readonly string[]): Promise<void> {
  for (let start = 0; start < objectIds.length; start += BATCH) await storage.delete(objectIds.slice(start, start + BATCH).map((id) => OBJECT_PREFIX + id));
}
