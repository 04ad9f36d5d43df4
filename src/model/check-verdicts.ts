/**
 * From the outcome of each checked cell to a verdict per planned step and ordering advice per pair
 * of versions. Pure: the cells' outcomes come from a run on the real host.
 */
import { type PairingCell, type CheckStep } from "./check-pairings.js";

/** What running the workload in one cell gave. */
export interface CellOutcome {
  /** Requests of the cell's own run (its caller and object, after the writer's run). */
  readonly requests: number;
  /** Failures of the cell's own run. */
  readonly failed: number;
  /** Failures of the storage writer's run before it, when it failed already. */
  readonly writerFailed?: number;
  /** The first failure, in one line (`POST /rooms/lobby: 500 TypeError: ...`). */
  readonly firstFailure?: string;
}

/** A step's verdict: safe, or unsafe with one line per failing caller → object pairing. */
export interface StepVerdict {
  readonly kind: CheckStep["kind"];
  readonly spec: string;
  readonly safe: boolean;
  readonly problems: readonly string[];
}

/** Groups the failing cells of a step by caller and object, and says what failed. */
export function stepVerdict(step: CheckStep, outcomeOf: (cell: PairingCell) => CellOutcome | undefined): StepVerdict {
  const groups = new Map<string, { cell: PairingCell; failed: number; requests: number; writers: string[]; first?: string }>();
  for (const cell of step.cells) {
    const outcome = outcomeOf(cell);
    if (outcome === undefined || !failedAtAll(outcome)) continue;
    const key = `${cell.caller}>${cell.object}`;
    const group = groups.get(key) ?? { cell, failed: 0, requests: 0, writers: [] };
    group.failed += outcome.failed;
    group.requests += outcome.requests;
    group.writers.push(cell.writer);
    group.first ??= outcome.firstFailure;
    groups.set(key, group);
  }
  const problems = [...groups.values()].map((group) => {
    const allWriters = new Set(step.cells.filter((cell) => cell.caller === group.cell.caller && cell.object === group.cell.object).map((cell) => cell.writer));
    const storage = group.writers.length === allWriters.size ? "" : ` on storage written by ${group.writers.join(", ")}`;
    const { caller, object } = group.cell;
    const deferred = step.assigned.includes(object) ? "" : " (kept there by the deferred code update)";
    const who = caller === object ? `Worker ${caller} with its own objects${deferred}` : `Worker ${caller} calling objects ${deferred === "" ? "on" : "still on"} ${object}${deferred}`;
    const count = group.failed > 0 ? `fails ${group.failed}/${group.requests} requests` : "fails while its storage is written";
    return `${who}${storage} ${count}${group.first === undefined ? "" : `: ${group.first}`}`;
  });
  return { kind: step.kind, spec: step.spec, safe: problems.length === 0, problems };
}

/** Whether a cell failed, in its own run or in its writer's. */
export function failedAtAll(outcome: CellOutcome | undefined): boolean {
  return outcome !== undefined && outcome.failed + (outcome.writerFailed ?? 0) > 0;
}

/** Whether any checked cell matching `filter` failed. */
function anyFailed(cells: readonly PairingCell[], outcomeOf: (cell: PairingCell) => CellOutcome | undefined, filter: (cell: PairingCell) => boolean): boolean {
  return cells.some((cell) => filter(cell) && failedAtAll(outcomeOf(cell)));
}

/**
 * What to do about a pair of versions (`older` rolled out to `newer`) from the cells checked:
 * which order is safe when only one direction fails, or how to split the change when both do.
 */
export function pairAdvice(older: string, newer: string, cells: readonly PairingCell[], outcomeOf: (cell: PairingCell) => CellOutcome | undefined): string[] {
  const failed = (filter: (cell: PairingCell) => boolean): boolean => anyFailed(cells, outcomeOf, filter);
  const newCallsOld = failed((cell) => cell.caller === newer && cell.object === older);
  const oldCallsNew = failed((cell) => cell.caller === older && cell.object === newer);
  const oldReadsNew = failed((cell) => cell.object === older && cell.writer === newer && cell.caller === older);
  const newReadsOld = failed((cell) => cell.object === newer && cell.writer === older && cell.caller === newer);
  const advice: string[] = [];
  if (newCallsOld && oldCallsNew) {
    advice.push(`${older} and ${newer} cannot call each other's objects, so no order of this pair is safe: split the change into expand (objects accept both the old and the new calls), migrate (callers switch to the new calls), contract (remove the old calls), and check the three in order.`);
  } else if (newCallsOld) {
    advice.push(`Workers on ${newer} fail calling objects still on ${older} (during the split, and with deferred updates for up to max_delay after ${newer}@100): ship the object side first — a version whose Durable Object accepts both the old and the new calls, callers unchanged — then the callers.`);
  } else if (oldCallsNew) {
    advice.push(`Workers on ${older} fail calling objects on ${newer}: keep what old callers use on the object until no caller runs ${older} — ship callers that work with both object versions first, then remove the old calls in a later version.`);
  }
  if (oldReadsNew && !newReadsOld) {
    advice.push(`Rolling back to ${older} after ${newer} wrote storage fails: ${older} cannot read ${newer}'s format. Ship a version that reads both formats (still writing the old one) first, and write the new format only in a later version; keep reading the old format until no rollback target writes it.`);
  } else if (newReadsOld) {
    advice.push(`${newer} fails on storage ${older} wrote: ${newer} must keep reading the old format (convert it on read) as long as any object may still hold it.`);
  }
  return advice;
}

/** Whether every step is safe. */
export function allSafe(verdicts: readonly StepVerdict[]): boolean {
  return verdicts.every((verdict) => verdict.safe);
}
