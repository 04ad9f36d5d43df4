/**
 * The at-a-glance view of `dosim check`: a matrix with one row per caller version and one column
 * per object version × storage writer (✓ every request right, ✗ failed/sent, · a pairing the plan
 * never makes), then a verdict per planned step and rollback, advice per pair of versions, and the
 * first failures with request, versions, writer, status and message.
 */
import Table from "cli-table3";
import type { CheckCell, CheckReport } from "./check-report.js";
import { PLAIN, type Style } from "./style.js";

/** How many failures are listed under the verdicts (all are in --json). */
const FAILURES_SHOWN = 8;

/** Past this many object × writer columns, a column per object version lists its writers inside each cell. */
const MAX_WIDE_COLUMNS = 6;

function matrix(report: CheckReport, style: Style): string {
  const labels = report.versions.map((version) => version.label);
  const columns = labels.flatMap((object) => labels.map((writer) => ({ object, writer }))).filter(({ object, writer }) => report.cells.some((cell) => cell.object === object && cell.writer === writer));
  const callers = labels.filter((label) => report.cells.some((cell) => cell.caller === label));
  const find = (caller: string, object: string, writer: string): CheckCell | undefined => report.cells.find((cell) => cell.caller === caller && cell.object === object && cell.writer === writer);
  const compact = columns.length > MAX_WIDE_COLUMNS;
  const objects = labels.filter((object) => columns.some((column) => column.object === object));
  const head = compact ? objects.map((object) => `object ${object}`) : columns.map(({ object, writer }) => `${object} (${writer})`);
  const table = new Table({ head: [compact ? "Worker ↓  object →" : "Worker ↓  object (storage by) →", ...head], style: { head: [], border: [] } });
  for (const caller of callers) {
    if (!compact) {
      table.push([caller, ...columns.map(({ object, writer }) => cellText(find(caller, object, writer), style))]);
      continue;
    }
    const row = objects.map((object) =>
      columns
        .filter((column) => column.object === object && find(caller, object, column.writer) !== undefined)
        .map((column) => `by ${column.writer} ${cellText(find(caller, object, column.writer), style)}`)
        .join("\n") || style.dim("·"),
    );
    table.push([caller, ...row]);
  }
  return table.toString();
}

function cellText(cell: CheckCell | undefined, style: Style): string {
  if (cell === undefined) return style.dim("·");
  if (cell.failed > 0) return style.red(`✗ ${cell.failed}/${cell.requests}`);
  return cell.failures.length > 0 ? style.red("✗ writer") : style.green("✓");
}

/** Renders the report as the matrix and its verdicts. */
export function renderCheckTable(report: CheckReport, style: Style = PLAIN): string {
  const lines: string[] = [style.bold(report.name) + style.dim(` (${report.file}, seed ${report.seed})`)];
  if (report.description !== undefined) lines.push(report.description.trim());
  const mode = report.deferred ? "deferred code updates (objects may keep old code for up to max_delay)" : "immediate code updates";
  lines.push(`Plan: ${report.versions[0]!.label}@100 → ${report.plan.join(" → ")}, ${mode}. Workload: ${report.workloadRequests} request(s) per run.`);
  lines.push(matrix(report, style));
  lines.push("✓ every request right   ✗ failed/sent in the cell's run (after the storage writer's run)   ✗ writer: the writer's run failed   · not possible in this plan");
  lines.push("");
  for (const step of report.steps) {
    const name = step.kind === "start" ? `${step.spec} (before the plan)` : step.kind === "rollback" ? `rollback to ${step.spec}` : step.spec;
    if (step.safe) lines.push(style.green(`✓ ${name}: safe`));
    else for (const problem of step.problems) lines.push(style.red(`✗ ${name}: unsafe — ${problem}`));
  }
  if (report.pairs.length > 1) for (const pair of report.pairs) lines.push(pair.safe ? style.green(`✓ ${pair.older} → ${pair.newer}: safe in every cell`) : style.red(`✗ ${pair.older} → ${pair.newer}: unsafe`));
  const advice = report.pairs.flatMap((pair) => pair.advice.map((line) => `${pair.older} → ${pair.newer}: ${line}`));
  if (advice.length > 0) lines.push("", style.bold("What to do"), ...advice.map((line) => `- ${line}`));
  const failures = report.cells.flatMap((cell) => cell.failures);
  if (failures.length > 0) {
    lines.push("", style.bold(`Failures (${failures.length}${failures.length > FAILURES_SHOWN ? `, first ${FAILURES_SHOWN}; all in --json` : ""})`));
    for (const failure of failures.slice(0, FAILURES_SHOWN)) {
      const request = failure.request === "" ? "" : `${failure.request} `;
      const status = failure.status === undefined ? "" : `→ ${failure.status} `;
      lines.push(`- ${request}${status}[Worker ${failure.caller}, object ${failure.object}, storage by ${failure.writer}, ${failure.phase}]: ${failure.message}`);
    }
  }
  lines.push("", report.verdict === "safe" ? style.green("Verdict: safe in every pairing the plan makes possible.") : style.red("Verdict: unsafe."));
  return `${lines.join("\n")}\n`;
}
