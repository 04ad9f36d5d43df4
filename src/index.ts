/**
 * dosim's programmatic entry point: the runtime host (`Simulator`), scenarios (load, run), and the
 * pure model (rules, ids, assignment, ledger, plans).
 */
export * from "./model/index.js";
export * from "./runtime/index.js";
export { loadScenarioFile, parseScenario, type LoadResult } from "./scenario/load.js";
export { runScenario, type RunOptions, type ScenarioRun } from "./scenario/run.js";
export type { Scenario, ScenarioStep } from "./scenario/types.js";
export type { ReplayError, ReplayReport, ReplayShard, ScenarioReport } from "./report/replay-report.js";
export { loadCheckFile, parseCheck, type CheckLoadResult, type CheckOverrides } from "./check/load.js";
export { runCheck } from "./check/run.js";
export type { CheckSpec, WorkloadItem } from "./check/types.js";
export type { CheckCell, CheckFailure, CheckPair, CheckReport } from "./report/check-report.js";
