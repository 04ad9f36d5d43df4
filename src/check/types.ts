/**
 * A check as loaded: the Worker, its versions in rollout order, the plan and the workload.
 */
import type { PlanDeployment } from "../model/check-pairings.js";
import type { RequestTemplate } from "../runtime/workers/request-template.js";
import type { ScenarioVersion, SourceLocation } from "../scenario/types.js";

/** What a workload request must answer. */
export interface WorkloadExpect {
  readonly status?: number;
  readonly body?: string;
  readonly json?: unknown;
}

/** One request of the workload. */
export interface WorkloadItem {
  /** Its position in the workload (0-based). */
  readonly index: number;
  readonly template: RequestTemplate;
  /** The object reference (`lobby`, `Room:lobby`) its `{name}` stands for. */
  readonly object?: string;
  readonly count: number;
  readonly expect?: WorkloadExpect;
  readonly at: SourceLocation;
}

/** A loaded check. */
export interface CheckSpec {
  /** Absolute path of the check file. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly seed: string;
  /** Absolute path of the Worker's wrangler config. */
  readonly workerConfig: string;
  /** The config's environment (wrangler's `-e/--env`). */
  readonly env?: string;
  /** The versions, oldest first: the first is at 100% before the plan. */
  readonly versions: readonly ScenarioVersion[];
  /** The deployments to check; absent: each next version at 50%, then 100%. */
  readonly plan?: readonly PlanDeployment[];
  /** Whether deployments defer code updates (the platform's default). */
  readonly deferred: boolean;
  readonly workload: readonly WorkloadItem[];
}
