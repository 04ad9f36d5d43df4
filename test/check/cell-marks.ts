import type { CheckReport } from "../../src/report/check-report.js";

/** The matrix as `caller>object/writer` → `ok`, `failed/sent` (the cell's own run) or `writer` (only the writer's run failed), for assertions. */
export function cellMarks(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.cells.map((cell) => [`${cell.caller}>${cell.object}/${cell.writer}`, cell.failed > 0 ? `${cell.failed}/${cell.requests}` : cell.failures.length > 0 ? "writer" : "ok"]).sort(([a], [b]) => a!.localeCompare(b!)));
}
