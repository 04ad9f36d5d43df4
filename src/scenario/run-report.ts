/**
 * The parts of a {@link ScenarioReport} read from the host's final state: one row per deployment
 * (what each object was assigned, resets, deferred updates, requested vs realised shares), one line
 * per step, and the docs' guarantees checked over a {@link RolloutView} built from the ledger and
 * the versions that served each object.
 */
import { socketSummary } from "./socket-run.js";
import { fillPath } from "../runtime/workers/request-template.js";
import { objectNameOf } from "./object-refs.js";
import { checkOneResetPerProgression, checkResetOnlyOnVersionChange, checkRisingVersionKeepsObjects, checkSameVersionWithinDeployment, resetCounter } from "../model/checkers/guarantees.js";
import type { GuaranteeName, GuaranteeResult, RolloutView, ViewObservation, ViewReset } from "../model/checkers/rollout-view.js";
import type { LedgerState } from "../model/ledger.js";
import type { WorkerState } from "../model/types.js";
import type { ReplayDeployment, ReplayObjectCell } from "../report/replay-report.js";
import type { ExpectationLog } from "./expectations.js";
import { round3 } from "./expectations.js";
import type { ScenarioStep } from "./types.js";

/** Above this many objects the table has no column per object (shares still count them all). */
export const MAX_OBJECT_COLUMNS = 12;

/** What the runner noted about each deployment while it ran. */
export interface DeploymentNotes {
  /** Deployment id → the 1-based step that made it. */
  readonly steps: Map<string, number>;
  /** Deployment id → ids of the objects whose switch it deferred. */
  readonly deferred: Map<string, Set<string>>;
  /** Deployment index → Worker-Version id → responses served while it was active. */
  readonly served: Map<number, Record<string, number>>;
}

/** Everything the rows are built from. */
export interface FinalState {
  readonly worker: WorkerState;
  readonly ledger: LedgerState;
  readonly objects: readonly string[];
  objectId(name: string): string;
  labelOf(versionId: string): string;
}

/** One row per deployment, in order. */
export function deploymentRows(state: FinalState, notes: DeploymentNotes): ReplayDeployment[] {
  const columns = state.objects.length <= MAX_OBJECT_COLUMNS ? state.objects : [];
  return state.worker.deployments.map((deployment, index) => {
    const assigned = (name: string): string | undefined =>
      state.ledger.objects[state.objectId(name)]?.history.find((entry) => entry.deploymentId === deployment.id)?.versionId;
    const objects: Record<string, ReplayObjectCell> = {};
    for (const name of columns) {
      const id = state.objectId(name);
      const versionId = assigned(name);
      if (versionId === undefined) continue;
      const reset = state.ledger.resets.some((entry) => entry.objectId === id && entry.deploymentId === deployment.id && entry.cause === "code-update");
      const deferred = notes.deferred.get(deployment.id)?.has(id) === true;
      objects[name] = { version: state.labelOf(versionId), reset, ...(deferred && { deferred }) };
    }
    const counts: Record<string, number> = {};
    let total = 0;
    if (state.objects.length > 0) {
      for (const name of state.objects) {
        const versionId = assigned(name);
        if (versionId !== undefined) (counts[versionId] = (counts[versionId] ?? 0) + 1), total++;
      }
    } else {
      // No objects declared: the realised share is that of the requests this deployment served.
      for (const [versionId, n] of Object.entries(notes.served.get(index) ?? {})) (counts[versionId] = n), (total += n);
    }
    // Nothing measured (no objects, no requests under this deployment): no share to show.
    const shares = total === 0 ? [] : deployment.entries.map((entry) => ({
      label: state.labelOf(entry.versionId),
      requestedPercentage: entry.percentage,
      objects: state.objects.length > 0 ? (counts[entry.versionId] ?? 0) : 0,
      realisedPercentage: round3(((counts[entry.versionId] ?? 0) / total) * 100),
    }));
    const entries = deployment.entries.map((entry) => ({ label: state.labelOf(entry.versionId), percentage: entry.percentage }));
    return { step: notes.steps.get(deployment.id) ?? 0, source: deployment.source, entries, objects, shares };
  });
}

/** A one-line description of a step, e.g. `deploy B@20,A@80`. */
export function stepSummary(step: ScenarioStep): string {
  switch (step.kind) {
    case "upload":
      return `upload ${step.label}${step.count > 1 ? ` ×${step.count}` : ""}`;
    case "deploy":
      return `${step.full ? "deploy (full)" : "deploy"} ${step.spec}`;
    case "rollback":
      return `rollback${step.target !== undefined ? ` ${step.target}` : ""}${step.force ? " --force" : ""}`;
    case "secret":
      return `${step.versioned ? "versions secret put" : "secret put"} ${step.secretName}${step.label !== undefined ? ` as ${step.label}` : ""}`;
    case "request":
      return `request ${step.request.method} ${fillPath(step.request.path, step.request.object === undefined ? undefined : objectNameOf(step.request.object))}${step.count > 1 ? ` ×${step.count}` : ""}`;
    case "traffic":
      return `traffic ${step.requests}${step.during !== undefined ? `, ${stepSummary({ ...step.during, index: step.index } as ScenarioStep)} after ${step.during.afterRequests}` : ""}`;
    case "wait":
      return `wait ${step.durationMs} ms`;
    case "idle":
      return `idle ${step.objects.join(", ")}`;
    case "socket":
      return socketSummary(step);
    case "expect":
      return "expect";
  }
}

/** Objects seen serving requests: object id, the deployment active then, and the version that ran. */
export interface ServedObservation {
  readonly objectId: string;
  readonly deploymentIndex: number;
  readonly versionId: string;
}

/**
 * Checks the scenario's guarantees over the whole run and logs each at step 0; `stepOf` (deployment
 * id → 1-based scenario step) lets violations name the step that made the deployment.
 */
export function checkGuarantees(
  log: ExpectationLog,
  names: readonly GuaranteeName[],
  state: FinalState,
  served: readonly ServedObservation[],
  stepOf: ReadonlyMap<string, number> = new Map(),
): void {
  if (names.length === 0) return;
  const records = Object.values(state.ledger.objects).sort((a, b) => ((a.name ?? a.id) < (b.name ?? b.id) ? -1 : 1));
  const index = new Map(records.map((record, position) => [record.id, position]));
  const deploymentIndex = new Map(state.worker.deployments.map((deployment, position) => [deployment.id, position]));
  const history = records.map((record) => new Map(record.history.map((entry) => [deploymentIndex.get(entry.deploymentId)!, entry.versionId])));
  const view: RolloutView = {
    steps: state.worker.deployments.map((deployment) => deployment.entries.map((entry) => ({ version: entry.versionId, percentage: entry.percentage }))),
    objectCount: records.length,
    versionAt: (object, step) => history[object]!.get(step),
    objectName: (object) => records[object]!.name ?? records[object]!.id,
    deploymentName: (step) => {
      const scenarioStep = stepOf.get(state.worker.deployments[step]?.id ?? "");
      return scenarioStep === undefined ? `deployment ${step + 1}` : `the deployment of step ${scenarioStep}`;
    },
  };
  const resets: ViewReset[] = state.ledger.resets.map((reset) => ({ object: index.get(reset.objectId)!, step: deploymentIndex.get(reset.deploymentId)!, from: reset.from, to: reset.to }));
  const observations: ViewObservation[] = served
    .filter((seen) => index.has(seen.objectId))
    .map((seen) => ({ object: index.get(seen.objectId)!, step: seen.deploymentIndex, version: seen.versionId }));
  const results: Record<GuaranteeName, () => GuaranteeResult> = {
    "same-version-within-deployment": () => checkSameVersionWithinDeployment(view, observations),
    "rising-version-keeps-objects": () => checkRisingVersionKeepsObjects(view),
    "reset-only-on-version-change": () => checkResetOnlyOnVersionChange(view, resets),
    "one-reset-per-progression": () => checkOneResetPerProgression(view, resetCounter(resets)),
  };
  for (const name of names) {
    const result = results[name]();
    const actual = !result.applicable ? "not applicable" : result.holds ? "holds" : `${result.violationCount} violation(s)`;
    const message = `${result.statement} Violated: ${result.violations.map((sentence) => relabel(sentence, state)).join("; ")}.`;
    log.add(0, `guarantee.${name}`, "holds", actual, result.holds, message);
  }
}

/** Replaces version ids in a checker's sentence by their labels. */
function relabel(sentence: string, state: FinalState): string {
  return sentence.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => state.labelOf(id));
}
