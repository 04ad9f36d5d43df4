/**
 * The report of `dosim check` (`--json`, schema `dosim.check/v1`): the versions, every cell the
 * plan needs with its failures, a verdict per planned step, a verdict and advice per pair of
 * adjacent versions, and the overall verdict. No timings and no absolute paths: the same check and
 * seed give the same bytes.
 */
import type { StepVerdict } from "../model/check-verdicts.js";

/** One failing request (or thrown invocation) of a cell. */
export interface CheckFailure {
  /** `write`: the storage writer's own run of the workload; `read`: the cell's caller and object. */
  readonly phase: "write" | "read";
  /** `POST /rooms/lobby.B-A-A`, as sent. */
  readonly request: string;
  readonly caller: string;
  readonly object: string;
  readonly writer: string;
  /** The status answered (absent: the request never got an answer, or no request failed but an invocation threw). */
  readonly status?: number;
  /** What went wrong: the failed expectation, or the exception's message. */
  readonly message: string;
}

/** One cell of the matrix. */
export interface CheckCell {
  readonly caller: string;
  readonly object: string;
  readonly writer: string;
  /** Requests of the cell's own run (after the storage writer's run of the same workload). */
  readonly requests: number;
  /** Failures of the cell's own run: requests, or one exception when every answer was right. */
  readonly failed: number;
  /** Every failure, the writer's run (`write`) first; the cell is unsafe when there is any. */
  readonly failures: readonly CheckFailure[];
}

/** Whether a pair of adjacent versions is safe, and what to do when it is not. */
export interface CheckPair {
  readonly older: string;
  readonly newer: string;
  readonly safe: boolean;
  readonly advice: readonly string[];
}

/** The whole report. */
export interface CheckReport {
  readonly schema: "dosim.check/v1";
  readonly name: string;
  /** The check file, relative to the working directory. */
  readonly file: string;
  readonly description?: string;
  readonly seed: string;
  readonly versions: readonly { readonly label: string; readonly id: string }[];
  /** The plan checked, one deployment per entry, after the first version at 100%. */
  readonly plan: readonly string[];
  /** Whether the plan's deployments defer code updates (the deferred window is checked). */
  readonly deferred: boolean;
  /** Requests in the workload, per cell phase. */
  readonly workloadRequests: number;
  readonly cells: readonly CheckCell[];
  readonly steps: readonly StepVerdict[];
  readonly pairs: readonly CheckPair[];
  readonly verdict: "safe" | "unsafe";
}
