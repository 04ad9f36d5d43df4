/**
 * The history of each named object of a replay, read from the ledger: the detail a report shows
 * when a reader picks an object (its id and slot, the version each deployment assigned it, every
 * reset with its cause and time on the virtual clock, every end of an instance).
 */
import type { ReplayObjectDetail } from "../report/replay-report.js";
import type { DeploymentNotes, FinalState } from "./run-report.js";

/** One detail per object of `names` the ledger knows, in the order of `names`. */
/** Times are told from `startMs`, the virtual clock's start, so a report reads "12 s in", not a date. */
export function objectDetails(state: FinalState, notes: DeploymentNotes, names: readonly string[], startMs: number): ReplayObjectDetail[] {
  const stepOf = (deploymentId: string): number => notes.steps.get(deploymentId) ?? 0;
  const details: ReplayObjectDetail[] = [];
  for (const name of names) {
    const id = state.objectId(name);
    const record = state.ledger.objects[id];
    if (record === undefined) continue;
    details.push({
      name,
      id,
      slot: record.slot,
      history: record.history.map((entry) => ({ step: stepOf(entry.deploymentId), version: state.labelOf(entry.versionId) })),
      resets: state.ledger.resets
        .filter((reset) => reset.objectId === id)
        .map((reset) => ({ step: stepOf(reset.deploymentId), from: state.labelOf(reset.from), to: state.labelOf(reset.to), atMs: reset.atMs - startMs, cause: reset.cause, live: reset.live })),
      ends: state.ledger.ends.filter((end) => end.objectId === id).map((end) => ({ version: state.labelOf(end.versionId), atMs: end.atMs - startMs, reason: end.reason })),
    });
  }
  return details;
}
