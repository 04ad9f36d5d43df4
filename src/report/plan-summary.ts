/**
 * The plan for many objects: per step, requested vs realised shares, moves and resets; the
 * movement between versions; warnings; and the documented guarantees as checked.
 */
import Table from "cli-table3";
import type { PlanReport } from "../model/plan-report.js";
import { PLAIN, type Style } from "./style.js";

const count = (value: number): string => value.toLocaleString("en-US");

/** Renders the summary view. */
export function renderPlanSummary(report: PlanReport, style: Style = PLAIN): string {
  const steps = new Table({
    head: ["Step", "Deployment", "Requested", "Realised (objects)", "Moved", "Resets"],
    style: { head: [], border: [] },
  });
  for (const step of report.steps) {
    steps.push([
      String(step.step),
      step.spec,
      step.versions.map((version) => `${version.label} ${version.requestedPercentage}%`).join("\n"),
      step.versions.map((version) => `${version.label} ${version.realisedPercentage}% (${count(version.objects)})`).join("\n"),
      count(step.moved),
      count(step.resets),
    ]);
  }
  const movement = report.steps
    .filter((step) => step.movement.length > 0)
    .map((step) => `  step ${step.step}: ${step.movement.map((move) => `${move.from} → ${move.to} ${count(move.objects)}`).join(", ")}`);
  const lines = [
    `Namespace ${report.namespace}, ${count(report.objectCount)} objects${droppedNote(report)}.`,
    steps.toString(),
    "Movement between versions:",
    ...(movement.length > 0 ? movement : ["  none"]),
    `Resets: ${count(report.totals.resets)} in all; ${count(report.totals.objectsReset)} object(s) reset, at most ${report.totals.maxResetsPerObject} time(s) each.`,
    ...renderWarnings(report, style),
    ...renderGuarantees(report, style),
  ];
  return `${lines.join("\n")}\n`;
}

/** One line per warning. */
export function renderWarnings(report: PlanReport, style: Style = PLAIN): string[] {
  return report.steps.flatMap((step) => step.warnings.map((warning) => style.yellow(`Warning: ${warning.message}`)));
}

/** One line per documented guarantee: holds, violated (with the first violations), or not applicable. */
export function renderGuarantees(report: PlanReport, style: Style = PLAIN): string[] {
  return report.guarantees.flatMap((guarantee) => {
    if (!guarantee.applicable) return [style.dim(`- n/a   ${guarantee.statement} (this rollout never meets its condition)`)];
    if (guarantee.holds) return [`${style.green("- holds")} ${guarantee.statement}`];
    return [
      `${style.red("- FAILS")} ${guarantee.statement} (${guarantee.violationCount} violation(s))`,
      ...guarantee.violations.map((violation) => style.red(`    ${violation}`)),
    ];
  });
}

/** ` (N duplicate name(s) dropped)` when the names repeated, else nothing. */
export function droppedNote(report: PlanReport): string {
  return report.duplicateNamesDropped !== undefined ? ` (${report.duplicateNamesDropped} duplicate name(s) dropped)` : "";
}
