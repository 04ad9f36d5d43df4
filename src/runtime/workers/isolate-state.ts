/**
 * State shared by dosim's modules inside one version isolate: the version's wrapper and the
 * routing binding are bundled apart (the binding is a Miniflare wrapped module), so they meet on a
 * global. Holds the virtual time, the trace buffer, the routing epoch and the version's env.
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
  /**
   * The version worker's env, as its wrapper first saw it: it holds the namespaces of the version's
   * own classes, through which the routing binding reaches an object that runs on the calling
   * version without the object router's hop.
   */
  versionEnv?: Record<string, unknown>;
}

const KEY = "__dosimIsolateState";

/** This isolate's shared state (created on first use). */
export function isolateState(): IsolateState {
  const global = globalThis as unknown as Record<string, IsolateState | undefined>;
  return (global[KEY] ??= { clockMs: undefined, seq: 0, traces: [], epoch: undefined });
}
