/**
 * A problem found while loading a scenario: where (file, line, column, path), what, and a stable
 * code. The loader reports every problem it finds at once, sorted by position.
 */
import type { ErrorCode } from "../model/errors.js";

/** Codes of problems only a scenario file can have; model refusals keep the model's codes. */
export const SCENARIO_ISSUE_CODES = [
  "unreadable-file",
  "yaml-syntax",
  "unknown-key",
  "missing-key",
  "invalid-type",
  "invalid-value",
  "step-action",
  "undeclared-label",
  "duplicate-name",
  "file-not-found",
  "step-order",
  "invalid-worker-config",
  "invalid-config",
  "build-failed",
  "unknown-object-class",
] as const;

/** A code of a loading problem. */
export type ScenarioIssueCode = (typeof SCENARIO_ISSUE_CODES)[number] | ErrorCode;

/** One loading problem. `line` and `column` are 1-based; `path` is like `steps[3].deploy`. */
export interface ScenarioIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
  readonly code: ScenarioIssueCode;
}

/** Formats an issue as `file:line:column: path: message [code]`, the shape editors link. */
export function formatIssue(issue: ScenarioIssue, file: string = issue.file): string {
  const where = issue.path === "" ? "" : `${issue.path}: `;
  return `${file}:${issue.line}:${issue.column}: ${where}${issue.message} [${issue.code}]`;
}

/** Orders issues by position, then path; drops exact duplicates. */
export function sortIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path) || a.message.localeCompare(b.message))
    .filter((issue) => {
      const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Formats a path of keys and indices: `steps[3].expect.objects.foo`, `headers["x y"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(key))) text += text === "" ? String(key) : `.${String(key)}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}
