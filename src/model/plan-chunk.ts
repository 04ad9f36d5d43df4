/**
 * The per-object work of a plan, for any run of consecutive objects (a chunk): assign each object
 * at every step, then reduce the chunk to a small summary (counts per version, movement, resets,
 * guarantee checks). Summaries of consecutive chunks merge by addition, so a large plan can be
 * worked in chunks on several threads and still give the report of the whole (see plan-report.ts).
 */
import { cumulativeBounds, entryIndexForSlot } from "./assignment.js";
import { movementMatrix, versionCounts, type MovementMatrix } from "./analysis/movement.js";
import { extraMovesFromReorder, isReordered } from "./analysis/reorder.js";
import { checkOneResetPerProgression, checkRisingVersionKeepsObjects } from "./checkers/guarantees.js";
import { MAX_LISTED_VIOLATIONS, type GuaranteeResult, type RolloutView } from "./checkers/rollout-view.js";
import type { PlanAssignments, RolloutPlan } from "./plan.js";

/** What the report needs of a run of objects; plain data, so it crosses threads as it is. */
export interface PlanSummary {
  readonly objectCount: number;
  /** Per step: objects per label index. */
  readonly counts: readonly (readonly number[])[];
  /** Per step: transitions from the previous step (`[from][to]`, label indices); none at the first step. */
  readonly movement: readonly (MovementMatrix | undefined)[];
  /** Per step: moves its reordering costs beyond keeping the previous order (0 when not reordered). */
  readonly extraMoves: readonly number[];
  readonly resets: number;
  readonly objectsReset: number;
  readonly maxResetsPerObject: number;
  /**
   * The guarantee checks over these objects. Violation sentences name objects by their index in
   * the chunk: when any guarantee fails, the report checks the whole plan again to name them.
   */
  readonly guarantees: readonly GuaranteeResult[];
}

/** Assigns every object (given by slot) at every step of a plan. */
export function assignPlan(plan: RolloutPlan, slots: Int32Array): PlanAssignments {
  const versionIndex = plan.steps.map((step) => {
    const bounds = cumulativeBounds(step.entries);
    const labelIndexOfEntry = step.entries.map((entry) => plan.labels.indexOf(entry.label));
    const column = new Uint8Array(slots.length);
    for (let object = 0; object < slots.length; object++) {
      column[object] = labelIndexOfEntry[entryIndexForSlot(bounds, slots[object]!)]!;
    }
    return column;
  });
  return { objectCount: slots.length, versionIndex };
}

/** The summary of objects given by their slots and their columns (`columns[step][object]`). */
export function summarizePlan(plan: RolloutPlan, slots: Int32Array, columns: readonly Uint8Array[]): PlanSummary {
  const { labels, steps } = plan;
  const total = slots.length;
  const { perObject, resets, objectsReset, maxResetsPerObject } = countResets(columns, total);
  const view = planView(plan, columns, total);
  return {
    objectCount: total,
    counts: columns.map((column) => versionCounts(column, labels.length)),
    movement: columns.map((column, step) => (step === 0 ? undefined : movementMatrix(columns[step - 1]!, column, labels.length))),
    extraMoves: steps.map((step, index) => {
      const previous = index === 0 ? undefined : steps[index - 1]!;
      if (previous === undefined || !isReordered(previous.entries, step.entries)) return 0;
      return extraMovesFromReorder(slots, columns[index - 1]!, labels, previous.entries, step.entries);
    }),
    resets,
    objectsReset,
    maxResetsPerObject,
    guarantees: planGuarantees(view, perObject),
  };
}

/** The summary of two runs of objects, `first` right before `second`. */
export function mergePlanSummaries(first: PlanSummary, second: PlanSummary): PlanSummary {
  return {
    objectCount: first.objectCount + second.objectCount,
    counts: first.counts.map((counts, step) => addAll(counts, second.counts[step]!)),
    movement: first.movement.map((matrix, step) => matrix && matrix.map((row, from) => addAll(row, second.movement[step]![from]!))),
    extraMoves: addAll(first.extraMoves, second.extraMoves),
    resets: first.resets + second.resets,
    objectsReset: first.objectsReset + second.objectsReset,
    maxResetsPerObject: Math.max(first.maxResetsPerObject, second.maxResetsPerObject),
    guarantees: first.guarantees.map((result, index) => mergeGuarantee(result, second.guarantees[index]!)),
  };
}

/**
 * The guarantees a plan's assignment can break, checked over `view`; `resetsOf` gives an object's
 * resets over the whole rollout. A plan's resets are its version changes by definition, so of
 * guarantee (c) only the "at most once per progression" half says something about the assignment.
 */
export function planGuarantees(view: RolloutView, resetsOf: Uint16Array): GuaranteeResult[] {
  return [checkRisingVersionKeepsObjects(view), checkOneResetPerProgression(view, (object) => resetsOf[object]!)];
}

/** A checker's view of a plan's columns, with versions by label and objects named by `names`. */
export function planView(plan: RolloutPlan, columns: readonly Uint8Array[], total: number, names?: (object: number) => string | undefined): RolloutView {
  return {
    steps: plan.steps.map((step) => step.entries.map((entry) => ({ version: entry.label, percentage: entry.percentage }))),
    objectCount: total,
    versionAt: (object, step) => plan.labels[columns[step]![object]!],
    objectName: (object) => names?.(object) ?? `object #${object + 1}`,
    deploymentName: (step) => `step ${step + 1}`,
  };
}

/** Every change of version between consecutive steps is a reset (no object is live in a plan). */
export function countResets(columns: readonly Uint8Array[], total: number) {
  const perObject = new Uint16Array(total);
  for (let step = 1; step < columns.length; step++) {
    const before = columns[step - 1]!;
    const after = columns[step]!;
    for (let object = 0; object < total; object++) {
      if (before[object] !== after[object]) perObject[object]!++;
    }
  }
  let resets = 0;
  let objectsReset = 0;
  let maxResetsPerObject = 0;
  for (const count of perObject) {
    resets += count;
    if (count > 0) objectsReset++;
    if (count > maxResetsPerObject) maxResetsPerObject = count;
  }
  return { perObject, resets, objectsReset, maxResetsPerObject };
}

/** Counts and verdicts add up; the sentences are kept in order only as far as the report lists them. */
function mergeGuarantee(first: GuaranteeResult, second: GuaranteeResult): GuaranteeResult {
  return {
    ...first,
    applicable: first.applicable || second.applicable,
    holds: first.holds && second.holds,
    checked: first.checked + second.checked,
    violationCount: first.violationCount + second.violationCount,
    violations: [...first.violations, ...second.violations].slice(0, MAX_LISTED_VIOLATIONS),
  };
}

function addAll(first: readonly number[], second: readonly number[]): number[] {
  return first.map((value, index) => value + second[index]!);
}
