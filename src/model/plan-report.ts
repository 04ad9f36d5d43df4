/**
 * The plan's findings as one plain, stable structure (the `--json` output and the input of every
 * renderer): per step the requested and realised shares, moves and the movement matrix, warnings
 * about reordering, and the documented guarantees checked over the whole rollout.
 */
import { movedCount } from "./analysis/movement.js";
import { isReordered } from "./analysis/reorder.js";
import type { GuaranteeResult } from "./checkers/rollout-view.js";
import { countResets, planGuarantees, planView, summarizePlan, type PlanSummary } from "./plan-chunk.js";
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
  options: {
    namespace: string;
    names?: ObjectNameList;
    includeObjects: boolean;
    duplicateNamesDropped?: number;
    /** The summary of every object, when worked out already (in chunks: see plan-chunk.ts). */
    summary?: PlanSummary;
  },
): PlanReport {
  const { labels } = plan;
  const columns = assignments.versionIndex;
  const total = assignments.objectCount;
  const summary = options.summary ?? summarizePlan(plan, slots, columns);
  const steps = plan.steps.map((step, index): PlanStepReport => {
    const counts = summary.counts[index]!;
    const matrix = summary.movement[index];
    const moved = matrix === undefined ? 0 : movedCount(matrix);
    const warnings: PlanWarning[] = [];
    const previous = index === 0 ? undefined : plan.steps[index - 1]!;
    if (previous !== undefined && isReordered(previous.entries, step.entries)) {
      const extraMoves = summary.extraMoves[index]!;
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
  const { names } = options;
  const view = planView(plan, columns, total, (object) => (typeof names === "function" ? names(object) : names?.[object]));
  return {
    schema: PLAN_REPORT_SCHEMA,
    namespace: options.namespace,
    objectCount: total,
    ...(options.duplicateNamesDropped !== undefined && options.duplicateNamesDropped > 0 && { duplicateNamesDropped: options.duplicateNamesDropped }),
    labels,
    steps,
    totals: { resets: summary.resets, objectsReset: summary.objectsReset, maxResetsPerObject: summary.maxResetsPerObject },
    // Summaries name objects by their place in a chunk and keep the first sentences of each chunk:
    // a failed guarantee (a fault of the model, never seen) is checked again over every object.
    guarantees: summary.guarantees.every((result) => result.holds) ? summary.guarantees : planGuarantees(view, countResets(columns, total).perObject),
    ...(options.includeObjects && {
      objects: Array.from({ length: total }, (_, object) => ({
        name: view.objectName(object),
        slot: slots[object]!,
        versions: columns.map((column) => labels[column[object]!]!),
      })),
    }),
  };
}
