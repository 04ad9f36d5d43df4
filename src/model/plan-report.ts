/**
 * The plan's findings as one plain, stable structure (the `--json` output and the input of every
 * renderer): per step the requested and realised shares, moves and the movement matrix, warnings
 * about reordering, and the documented guarantees checked over the whole rollout.
 */
import { movedCount, movementMatrix, versionCounts } from "./analysis/movement.js";
import { extraMovesFromReorder, isReordered } from "./analysis/reorder.js";
import { checkOneResetPerProgression, checkRisingVersionKeepsObjects } from "./checkers/guarantees.js";
import type { GuaranteeResult, RolloutView } from "./checkers/rollout-view.js";
import type { PlanAssignments, RolloutPlan } from "./plan.js";

/** The version of the JSON structure; bumped only on incompatible changes. */
export const PLAN_REPORT_SCHEMA = "dosim.plan/v1";

/** A warning about a step. */
export interface PlanWarning {
  readonly code: "reordered-versions";
  readonly message: string;
  /** Moves this step costs beyond what the previous order would have cost. */
  readonly extraMoves: number;
}

/** One step of the report. */
export interface PlanStepReport {
  readonly step: number;
  readonly spec: string;
  readonly codeUpdate: string;
  readonly versions: readonly { label: string; requestedPercentage: number; objects: number; realisedPercentage: number }[];
  readonly moved: number;
  /** In a plan no object holds an in-memory instance, so every move is a reset. */
  readonly resets: number;
  readonly movement: readonly { from: string; to: string; objects: number }[];
  readonly warnings: readonly PlanWarning[];
}

/** The whole report. */
export interface PlanReport {
  readonly schema: typeof PLAN_REPORT_SCHEMA;
  readonly namespace: string;
  readonly objectCount: number;
  /** How many repeated names were dropped before planning (a name is one object); present when any were. */
  readonly duplicateNamesDropped?: number;
  readonly labels: readonly string[];
  readonly steps: readonly PlanStepReport[];
  readonly totals: { readonly resets: number; readonly objectsReset: number; readonly maxResetsPerObject: number };
  readonly guarantees: readonly GuaranteeResult[];
  /** Each object's version per step, by name; present only for small runs (see `includeObjects`). */
  readonly objects?: readonly { name: string; slot: number; versions: readonly string[] }[];
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Names of objects by index: a list, or a function for names made on demand (a million generated ones). */
export type ObjectNameList = readonly string[] | ((object: number) => string);

/** Builds the report. `names` (optional) name the objects; `includeObjects` adds per-object rows. */
export function buildPlanReport(
  plan: RolloutPlan,
  slots: Int32Array,
  assignments: PlanAssignments,
  options: { namespace: string; names?: ObjectNameList; includeObjects: boolean; duplicateNamesDropped?: number },
): PlanReport {
  const { labels } = plan;
  const columns = assignments.versionIndex;
  const total = assignments.objectCount;
  const steps = plan.steps.map((step, index): PlanStepReport => {
    const counts = versionCounts(columns[index]!, labels.length);
    const previous = index === 0 ? undefined : plan.steps[index - 1]!;
    const matrix = index === 0 ? undefined : movementMatrix(columns[index - 1]!, columns[index]!, labels.length);
    const moved = matrix === undefined ? 0 : movedCount(matrix);
    const warnings: PlanWarning[] = [];
    if (previous !== undefined && isReordered(previous.entries, step.entries)) {
      const extraMoves = extraMovesFromReorder(slots, columns[index - 1]!, labels, previous.entries, step.entries);
      warnings.push({
        code: "reordered-versions",
        // Over all slots a reorder never moves fewer objects, but a small sample can (extraMoves < 0).
        message: `Step ${index + 1} lists its versions in another order than step ${index}; that moves ${Math.abs(extraMoves)} ${extraMoves < 0 ? "fewer" : "more"} object(s) than keeping the order would.`,
        extraMoves,
      });
    }
    return {
      step: index + 1,
      spec: step.spec,
      codeUpdate: step.deployment.codeUpdate.mode,
      versions: step.entries.map((entry) => {
        const objects = counts[labels.indexOf(entry.label)]!;
        return { label: entry.label, requestedPercentage: entry.percentage, objects, realisedPercentage: total === 0 ? 0 : round3((objects / total) * 100) };
      }),
      moved,
      resets: moved,
      movement: (matrix ?? []).flatMap((row, from) =>
        row.flatMap((objects, to) => (from !== to && objects > 0 ? [{ from: labels[from]!, to: labels[to]!, objects }] : [])),
      ),
      warnings,
    };
  });
  const { perObject, totals } = countResets(columns, total);
  const view = columnView(plan, columns, total, options.names);
  return {
    schema: PLAN_REPORT_SCHEMA,
    namespace: options.namespace,
    objectCount: total,
    ...(options.duplicateNamesDropped !== undefined && options.duplicateNamesDropped > 0 && { duplicateNamesDropped: options.duplicateNamesDropped }),
    labels,
    steps,
    totals,
    // A plan's resets are its version changes by definition, so of guarantee (c) only the
    // "at most once per progression" half says something about the assignment.
    guarantees: [checkRisingVersionKeepsObjects(view), checkOneResetPerProgression(view, (object) => perObject[object]!)],
    ...(options.includeObjects && {
      objects: Array.from({ length: total }, (_, object) => ({
        name: view.objectName(object),
        slot: slots[object]!,
        versions: columns.map((column) => labels[column[object]!]!),
      })),
    }),
  };
}

/** Every change of version between consecutive steps is a reset (no object is live in a plan). */
function countResets(columns: readonly Uint8Array[], total: number): { perObject: Uint16Array; totals: PlanReport["totals"] } {
  const perObject = new Uint16Array(total);
  let resets = 0;
  for (let step = 1; step < columns.length; step++) {
    const before = columns[step - 1]!;
    const after = columns[step]!;
    for (let object = 0; object < total; object++) {
      if (before[object] !== after[object]) perObject[object]!++;
    }
  }
  let objectsReset = 0;
  let maxResetsPerObject = 0;
  for (const count of perObject) {
    resets += count;
    if (count > 0) objectsReset++;
    if (count > maxResetsPerObject) maxResetsPerObject = count;
  }
  return { perObject, totals: { resets, objectsReset, maxResetsPerObject } };
}

/** A checker's view of the plan's columns, with versions by label. */
function columnView(plan: RolloutPlan, columns: readonly Uint8Array[], total: number, names?: ObjectNameList): RolloutView {
  return {
    steps: plan.steps.map((step) => step.entries.map((entry) => ({ version: entry.label, percentage: entry.percentage }))),
    objectCount: total,
    versionAt: (object, step) => plan.labels[columns[step]![object]!],
    objectName: (object) => (typeof names === "function" ? names(object) : names?.[object]) ?? `object #${object + 1}`,
    deploymentName: (step) => `step ${step + 1}`,
  };
}
