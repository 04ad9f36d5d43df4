/**
 * Loading a scenario: YAML → schema → cross-checks → {@link Scenario}. Every problem is reported
 * at once with its file, line, column and path; nothing throws on bad input.
 *
 *   const loaded = loadScenarioFile("scenarios/01-docs-progression.yaml");
 *   if (!loaded.ok) for (const issue of loaded.issues) console.error(formatIssue(issue));
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { ScenarioIssue } from "./issues.js";
import { sortIssues } from "./issues.js";
import { normaliseScenario, type FileSystemProbe } from "./normalize.js";
import { ScenarioFileSchema, type ScenarioFile, type StepFile } from "./schema.js";
import { Step } from "./schema/steps.js";
import type { Scenario } from "./types.js";
import { parseYaml } from "./yaml-source.js";
import { schemaIssues } from "./zod-issues.js";

/** A loaded scenario, or every problem that stopped it loading. */
export type LoadResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

/** Options of a load. */
export interface LoadOptions {
  /** Answers whether a referenced file (wrangler config, `main`) exists; the real file system by default. */
  readonly fileExists?: (absolutePath: string) => boolean;
}

const realFileSystem: FileSystemProbe = {
  fileExists: (path) => existsSync(path) && statSync(path).isFile(),
};

/** The text of an input file, or the one issue that says why it cannot be read (`kind`: "scenario", "check"). */
export function readInputFile(file: string, kind: string): { readonly text: string } | { readonly issue: ScenarioIssue } {
  try {
    return { text: readFileSync(file, "utf8") };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot read it";
    return { issue: { file, line: 1, column: 1, path: "", message: `${reason}; give the path of a ${kind} .yaml file`, code: "unreadable-file" } };
  }
}

/** Reads and loads the scenario at `file` (issues name the path as given). */
export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadResult {
  const read = readInputFile(file, "scenario");
  return "issue" in read ? { ok: false, issues: [read.issue] } : parseScenario(read.text, file, options);
}

/** Loads a scenario from its text; `file` locates it (relative paths inside resolve from its folder). */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const { source, data, problems } = parseYaml(text);
  if (problems.length > 0) {
    return { ok: false, issues: sortIssues(problems.map((problem) => ({ file, ...problem, path: "", code: "yaml-syntax" as const }))) };
  }
  if (data === null || data === undefined) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: "", message: "the file is empty; a scenario needs at least name, versions and steps", code: "missing-key" }] };
  }
  const issues = schemaIssues(data, { file, source, data, schema: ScenarioFileSchema });
  const parsed = ScenarioFileSchema.safeParse(data);
  const usable = parsed.success ? { file: parsed.data, steps: parsed.data.steps } : usableParts(data);
  if (usable !== undefined) {
    const fs = options.fileExists === undefined ? realFileSystem : { fileExists: options.fileExists };
    const rawSteps = Array.isArray((data as { steps?: unknown }).steps) ? ((data as { steps: unknown[] }).steps) : [];
    const checked = normaliseScenario(usable.file, usable.steps, { path: resolve(file), displayPath: file, source, fs, rawSteps });
    issues.push(...checked.issues);
    if (issues.length === 0) return { ok: true, scenario: checked.scenario };
  }
  return { ok: false, issues: sortIssues(issues) };
}

/**
 * When the file as a whole fails the schema, the cross-checks can still run if everything but
 * some steps is valid: the valid steps are checked, the others skipped. Otherwise there is too
 * little to go on, and the schema's issues stand alone.
 */
function usableParts(data: unknown): { file: ScenarioFile; steps: (StepFile | undefined)[] } | undefined {
  if (typeof data !== "object" || data === null || !Array.isArray((data as { steps?: unknown }).steps)) return undefined;
  const rawSteps = (data as { steps: unknown[] }).steps;
  const withoutSteps = ScenarioFileSchema.safeParse({ ...data, steps: [{ expect: {} }] });
  if (!withoutSteps.success) return undefined;
  const steps = rawSteps.map((raw) => {
    const step = Step.safeParse(raw);
    return step.success ? step.data : undefined;
  });
  return { file: { ...withoutSteps.data, steps: steps.filter((step) => step !== undefined) }, steps };
}
