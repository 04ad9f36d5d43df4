/**
 * State shared by dosim's modules inside one version isolate: the version's wrapper and the
 * routing binding are bundled apart (the binding is a Miniflare wrapped module), so they meet on a
 * global. Holds the virtual time, the trace buffer and the routing epoch.
 */
import type { TraceEvent } from "./protocol.js";

/** What the modules of one isolate share. */
export interface IsolateState {
  /** The virtual time last heard from the control plane (undefined: not yet). */
  clockMs: number | undefined;
  /** Next trace sequence number. */
  seq: number;
  /** Trace events not yet drained. */
  readonly traces: TraceEvent[];
  /** The routing epoch last pushed by the control plane. */
  epoch: number | undefined;
}

const KEY = "__dosimIsolateState";

/** This isolate's shared state (created on first use). */
export function isolateState(): IsolateState {
  const global = globalThis as unknown as Record<string, IsolateState | undefined>;
  return (global[KEY] ??= { clockMs: undefined, seq: 0, traces: [], epoch: undefined });
}
