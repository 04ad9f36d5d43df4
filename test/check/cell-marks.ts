import type { CheckReport } from "../../src/report/check-report.js";

/** The matrix as `caller>object/writer` → `ok` or `failed/sent`, for assertions. */
export function cellMarks(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.cells.map((cell) => [`${cell.caller}>${cell.object}/${cell.writer}`, cell.failed === 0 ? "ok" : `${cell.failed}/${cell.requests}`]).sort(([a], [b]) => a!.localeCompare(b!)));
}
