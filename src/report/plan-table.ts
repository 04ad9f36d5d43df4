/**
 * The teaching view of a plan, for a handful of objects: one row per deployment ("Version B: 20%,
 * Version A: 80%"), one column per object with the version it runs, a mark where it was reset, and
 * the realised share of objects beside the requested one.
 */
import Table from "cli-table3";
import type { PlanReport } from "../model/plan-report.js";
import { PLAIN, type Style } from "./style.js";
import { droppedNote, renderGuarantees, renderWarnings } from "./plan-summary.js";

/** Marks a cell whose object was reset at that step. */
export const RESET_MARK = "*";

/** Renders the per-object table. The report must include `objects`. */
export function renderPlanTable(report: PlanReport, style: Style = PLAIN): string {
  const objects = report.objects ?? [];
  const table = new Table({
    head: ["Deployment", ...objects.map((object) => JSON.stringify(object.name)), "Objects per version"],
    style: { head: [], border: [] },
  });
  report.steps.forEach((step, index) => {
    const cells = objects.map((object) => {
      const version = object.versions[index]!;
      const reset = index > 0 && object.versions[index - 1] !== version;
      return reset ? style.yellow(`${version}${RESET_MARK}`) : version;
    });
    const shares = step.versions.map((version) => `${version.label} ${version.objects}/${report.objectCount}`).join(", ");
    table.push([step.versions.map((version) => `Version ${version.label}: ${version.requestedPercentage}%`).join("\n"), ...cells, shares]);
  });
  const lines = [
    `Namespace ${report.namespace}, ${report.objectCount} object(s)${droppedNote(report)}. ${RESET_MARK} = reset at this step (its version changed).`,
    table.toString(),
    `Resets: ${report.totals.resets} in all; ${report.totals.objectsReset} object(s) reset, at most ${report.totals.maxResetsPerObject} time(s) each.`,
    ...renderWarnings(report, style),
    ...renderGuarantees(report, style),
  ];
  return `${lines.join("\n")}\n`;
}
