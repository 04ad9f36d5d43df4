import { join } from "node:path";
import { expect } from "vitest";
import type { ScenarioIssue } from "../../src/scenario/issues.js";
import { parseScenario, type LoadResult } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

/** A scenario file that sits in ./scenarios (so ../wrangler.toml is its Worker); never written. */
export const INLINE_FILE = join(REPO_ROOT, "scenarios", "inline.yaml");

/** The lines joined as a file's text. */
export function yamlText(lines: readonly string[]): string {
  return `${lines.join("\n")}\n`;
}

/** Loads `lines` as a scenario. */
export function load(lines: readonly string[], file = INLINE_FILE): LoadResult {
  return parseScenario(yamlText(lines), file);
}

/** Loads `lines`, which must be valid, and returns the scenario. */
export function loadValid(lines: readonly string[]): Scenario {
  const loaded = load(lines);
  if (!loaded.ok) expect.fail(loaded.issues.map((issue) => `${issue.line}:${issue.column} ${issue.path} ${issue.message}`).join("\n"));
  return loaded.scenario;
}

/** Where and why, without the file and with the message only when asked for. */
export type Where = Pick<ScenarioIssue, "line" | "column" | "path" | "code">;

/** Loads `lines`, which must be invalid, and returns the issues. */
export function issuesOf(lines: readonly string[]): readonly ScenarioIssue[] {
  const loaded = load(lines);
  if (loaded.ok) expect.fail("expected the scenario to be refused");
  return loaded.issues;
}

/** The positions and codes of the issues, for exact comparison. */
export function where(issues: readonly ScenarioIssue[]): Where[] {
  return issues.map(({ line, column, path, code }) => ({ line, column, path, code }));
}

/** A minimal valid head: name and versions A, B; steps follow. */
export const HEAD = ["name: inline", "versions:", "  A: {}", "  B: {}", "steps:"] as const;
