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

/** Why a scenario could not be replayed (its other fields are then empty). */
export interface ReplayError {
  /** A stable code: an input error's own code (the user can fix it), or `internal` (a dosim bug). */
  readonly code: string;
  /** One line: what went wrong and where (the version and the source position when known). */
  readonly message: string;
}

/** The error code of a scenario that failed for a reason that is not the user's input. */
export const INTERNAL_ERROR_CODE = "internal";

/** What happened to one named object over the run: the detail behind its row of the grid. */
export interface ReplayObjectDetail {
  readonly name: string;
  /** The object's id, as `idFromName` derives it. */
  readonly id: string;
  /** Its slot (0–99), which fixes its version in a split. */
  readonly slot: number;
  /** The version assigned to it by each deployment it was known in (by 1-based scenario step). */
  readonly history: readonly { readonly step: number; readonly version: string }[];
  /** Each change of the version running it: when (ms since the run's start on the virtual clock), why and whether it was live. */
  readonly resets: readonly { readonly step: number; readonly from: string; readonly to: string; readonly atMs: number; readonly cause: string; readonly live: boolean }[];
  /** Each end of an in-memory instance: the version it ran, when (ms since the start) and why. */
  readonly ends: readonly { readonly version: string; readonly atMs: number; readonly reason: string }[];
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
  /** The history of each object of `objects` (absent in reports written before it existed). */
  readonly objectDetails?: readonly ReplayObjectDetail[];
  readonly expectations: readonly ReplayExpectation[];
  readonly totals: { readonly resets: number; readonly requests: number; readonly errors: number };
  /** Simulator events that are not platform behaviour (e.g. a workerd restart). */
  readonly simulatorEvents: readonly string[];
  /** Present when the scenario could not be replayed: nothing of it ran or was checked. */
  readonly error?: ReplayError;
}

/** Which part of a sharded run a report holds (`--shard current/total`). */
export interface ReplayShard {
  readonly current: number;
  readonly total: number;
}

/** Every scenario of a replay. */
export interface ReplayReport {
  readonly schema: typeof REPLAY_REPORT_SCHEMA;
  /** Only in the report of one shard of a sharded run. */
  readonly shard?: ReplayShard;
  /** Every scenario file of the run, in run order (all shards' files in a shard's report). */
  readonly files: readonly string[];
  /** The scenarios this report replayed, in the order of `files`. */
  readonly scenarios: readonly ScenarioReport[];
}

/** The report of a scenario that could not be replayed. */
export function erroredScenario(scenario: { name: string; description?: string; objects: readonly string[] }, file: string, seed: string, error: ReplayError): ScenarioReport {
  return {
    name: scenario.name,
    file,
    ...(scenario.description !== undefined && { description: scenario.description }),
    seed,
    objects: scenario.objects.length <= 12 ? scenario.objects : [],
    versions: [],
    steps: [],
    deployments: [],
    expectations: [],
    totals: { resets: 0, requests: 0, errors: 0 },
    simulatorEvents: [],
    error,
  };
}

/** Counts of expectations over a report, and of scenarios that could not be replayed. */
export function expectationTotals(report: Pick<ReplayReport, "scenarios">): { passed: number; failed: number; errored: number } {
  let passed = 0;
  let failed = 0;
  let errored = 0;
  for (const scenario of report.scenarios) {
    if (scenario.error !== undefined) errored++;
    for (const expectation of scenario.expectations) expectation.passed ? passed++ : failed++;
  }
  return { passed, failed, errored };
}

/** The summary's counts, e.g. `3 passed, 1 failed` (`, 1 errored` only when a scenario errored). */
export function totalsLine(report: Pick<ReplayReport, "scenarios">): string {
  const { passed, failed, errored } = expectationTotals(report);
  return `${passed} passed, ${failed} failed${errored > 0 ? `, ${errored} errored` : ""}`;
}

/** Formats a deployment's entries the way the docs' table does: `Version B: 20%, Version A: 80%`. */
export function deploymentLabel(deployment: Pick<ReplayDeployment, "entries">, separator = ", "): string {
  return deployment.entries.map((entry) => `Version ${entry.label}: ${entry.percentage}%`).join(separator);
}

/** Renders a value for an expected/actual column. */
export function showValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
