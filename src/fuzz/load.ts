/**
 * Loading a fuzz file: YAML → the fuzz file's schema → the scenario's own cross-checks (Worker,
 * versions, objects). Every problem is reported at once with its file, line, column and path, as
 * for a scenario; nothing throws on bad input.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { sortIssues, type ScenarioIssue } from "../scenario/issues.js";
import { readInputFile } from "../scenario/load.js";
import { normaliseScenario } from "../scenario/normalize.js";
import type { Scenario } from "../scenario/types.js";
import { parseYaml } from "../scenario/yaml-source.js";
import { schemaIssues } from "../scenario/zod-issues.js";
import { FuzzFileSchema, type FuzzFile } from "./schema.js";

/** A loaded fuzz file: the scenario it is, and the file as written (for its `fuzz:` block and steps). */
export type FuzzLoadResult = { readonly ok: true; readonly scenario: Scenario; readonly file: FuzzFile } | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

/** Reads and loads the fuzz file at `file` (issues name the path as given). */
export function loadFuzzFile(file: string): FuzzLoadResult {
  const read = readInputFile(file, "scenario");
  return "issue" in read ? { ok: false, issues: [read.issue] } : parseFuzzFile(read.text, file);
}

/** Loads a fuzz file from its text; `file` locates it (relative paths inside resolve from its folder). */
export function parseFuzzFile(text: string, file: string): FuzzLoadResult {
  const { source, data, problems } = parseYaml(text);
  if (problems.length > 0) return { ok: false, issues: sortIssues(problems.map((problem) => ({ file, ...problem, path: "", code: "yaml-syntax" as const }))) };
  if (data === null || typeof data !== "object") {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: "", message: "a fuzz file is a mapping with name, versions and steps (and an optional fuzz block)", code: "missing-key" }] };
  }
  const issues = schemaIssues(data, { file, source, data, schema: FuzzFileSchema });
  const parsed = FuzzFileSchema.safeParse(data);
  if (!parsed.success) return { ok: false, issues: sortIssues(issues) };
  const rawSteps = (data as { steps: unknown[] }).steps;
  const checked = normaliseScenario(parsed.data, parsed.data.steps, { path: resolve(file), displayPath: file, source, fs: { fileExists: isFile }, rawSteps });
  issues.push(...checked.issues);
  return issues.length > 0 ? { ok: false, issues: sortIssues(issues) } : { ok: true, scenario: checked.scenario, file: parsed.data };
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
