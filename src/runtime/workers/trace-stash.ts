/**
 * Trace events drained from the version isolates ahead of the host, kept in the control worker's
 * isolate (shared by its fetch handler and the control plane object) until the host drains them.
 * A `during` operation of bulk traffic stashes the events of the requests before it, so the host
 * can tell them from the ones after it without a second bulk run.
 */
import type { Topology, TraceEvent } from "./protocol.js";
import { everyControl } from "./slot-table.js";

const KEY = "__dosimStashedTraces";

/** The stashed events, oldest first (created on first use). */
export function traceStash(): TraceEvent[] {
  const global = globalThis as unknown as Record<string, TraceEvent[] | undefined>;
  return (global[KEY] ??= []);
}

/** Drains every version isolate's trace events (the spare slots' too), sorted by time. */
export async function drainVersionTraces(env: Record<string, unknown> & { readonly DOSIM_TOPOLOGY: Topology }): Promise<TraceEvent[]> {
  const controls = everyControl(env.DOSIM_TOPOLOGY);
  const batches = await Promise.all(controls.map((control) => (env[control] as { drainTraces(): Promise<TraceEvent[]> }).drainTraces()));
  return batches.flat().sort((a, b) => a.EventTimestampMs - b.EventTimestampMs);
}

/** Moves every version isolate's trace events into the stash; returns how many the stash holds. */
export async function stashVersionTraces(env: Record<string, unknown> & { readonly DOSIM_TOPOLOGY: Topology }): Promise<number> {
  const stash = traceStash();
  stash.push(...(await drainVersionTraces(env)));
  return stash.length;
}
