/**
 * The runtime host: every version of a Worker running in one Miniflare instance, routed exactly as
 * the model says. `Simulator` is the entry point.
 */
export { Simulator, DEFAULT_START_MS } from "./simulator.js";
export type { DeployAnswer, SimulatorEvent, SimulatorOptions, VersionSpec } from "./simulator.js";
export type { BulkResult, BulkSpec, ControlSnapshotView, DeployRequest, InstanceEvent } from "./workers/control-api.js";
export { RESET_REASON } from "./workers/protocol.js";
export type { TraceEvent, TraceException, TraceLog } from "./workers/protocol.js";
