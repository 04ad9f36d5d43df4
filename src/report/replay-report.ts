/**
 * The result of replaying scenarios, as one plain structure: what every reporter renders and what
 * `--reporter json` prints. It holds no timings and no absolute paths, so the same scenario and
 * seed always give the same bytes.
 */

/** The version of the JSON structure; bumped only on incompatible changes. */
export const REPLAY_REPORT_SCHEMA = "dosim.replay/v1";

/** One version of the scenario's Worker. */
export interface ReplayVersion {
  readonly label: string;
  readonly id: string;
  readonly tag?: string;
}

/** What one object ran at one deployment. */
export interface ReplayObjectCell {
  /** The label of the version assigned to the object. */
  readonly version: string;
  /** True when the object was reset by this deployment (its version changed). */
  readonly reset: boolean;
  /** True while a deferred update keeps the object on its old version. */
  readonly deferred?: boolean;
}

/** One deployment of the run: a row of the teaching table. */
export interface ReplayDeployment {
  /** The 1-based step that created it. */
  readonly step: number;
  readonly source: string;
  readonly entries: readonly { label: string; percentage: number }[];
  /** Per object name, in the scenario's object order. */
  readonly objects: Readonly<Record<string, ReplayObjectCell>>;
  /** Share of the scenario's objects on each version, next to the requested percentage. */
  readonly shares: readonly { label: string; requestedPercentage: number; objects: number; realisedPercentage: number }[];
}

/** One step as it ran. */
export interface ReplayStep {
  readonly step: number;
  readonly kind: string;
  /** A one-line description, e.g. `deploy B@20,A@80`. */
  readonly summary: string;
  /** Present when the platform refused the step. */
  readonly refused?: { readonly code: string; readonly message: string };
}

/** One checked expectation. */
export interface ReplayExpectation {
  /** The 1-based step the expectation belongs to (0 for whole-run invariants). */
  readonly step: number;
  /** A stable, human-readable name, e.g. `objects.foo.version`. */
  readonly name: string;
  readonly passed: boolean;
  readonly expected: unknown;
  readonly actual: unknown;
  /** Why it failed, in one sentence (empty when it passed). */
  readonly message: string;
}

/** One replayed scenario. */
export interface ScenarioReport {
  readonly name: string;
  /** The scenario file, relative to the working directory. */
  readonly file: string;
  readonly description?: string;
  readonly seed: string;
  readonly objects: readonly string[];
  readonly versions: readonly ReplayVersion[];
  readonly steps: readonly ReplayStep[];
  readonly deployments: readonly ReplayDeployment[];
  readonly expectations: readonly ReplayExpectation[];
  readonly totals: { readonly resets: number; readonly requests: number; readonly errors: number };
  /** Simulator events that are not platform behaviour (e.g. a workerd restart). */
  readonly simulatorEvents: readonly string[];
}

/** Every scenario of a replay. */
export interface ReplayReport {
  readonly schema: typeof REPLAY_REPORT_SCHEMA;
  readonly scenarios: readonly ScenarioReport[];
}

/** Counts of expectations over a report. */
export function expectationTotals(report: ReplayReport): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const scenario of report.scenarios) {
    for (const expectation of scenario.expectations) expectation.passed ? passed++ : failed++;
  }
  return { passed, failed };
}

/** Formats a deployment's entries the way the docs' table does: `Version B: 20%, Version A: 80%`. */
export function deploymentLabel(deployment: Pick<ReplayDeployment, "entries">, separator = ", "): string {
  return deployment.entries.map((entry) => `Version ${entry.label}: ${entry.percentage}%`).join(separator);
}

/** Renders a value for an expected/actual column. */
export function showValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
