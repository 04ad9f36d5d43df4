/**
 * Loading a check file: YAML → schema → the scenario's own checks of the Worker and versions →
 * the plan and the workload, into a {@link CheckSpec}. Every problem is reported at once with its
 * file, line, column and path; nothing throws on bad input.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { parsePlan, type PlanDeployment } from "../model/check-pairings.js";
import type { TemplateBody } from "../runtime/workers/request-template.js";
import { formatPath, sortIssues, type ScenarioIssue } from "../scenario/issues.js";
import { readInputFile } from "../scenario/load.js";
import { normaliseScenario } from "../scenario/normalize.js";
import type { ScenarioVersion, SourceLocation } from "../scenario/types.js";
import { locate, parseYaml, type YamlSource } from "../scenario/yaml-source.js";
import { schemaIssues } from "../scenario/zod-issues.js";
import { CheckFileSchema, type CheckFile, type WorkloadRequestFile } from "./schema.js";
import type { CheckSpec, WorkloadItem } from "./types.js";

/** A loaded check, or every problem that stopped it loading. */
export type CheckLoadResult = { readonly ok: true; readonly check: CheckSpec } | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

/** What the command line puts in place of the file's own settings. */
export interface CheckOverrides {
  /** Versions given on the command line (they replace the file's `versions`). */
  readonly versions?: readonly ScenarioVersion[];
  /** A plan given on the command line (it replaces the file's `check.plan`). */
  readonly plan?: string;
  /** The Worker's config (`-c/--config`), replacing the file's `worker`. */
  readonly config?: string;
  readonly env?: string;
}

/** Reads and loads the check file at `file` (issues name the path as given). */
export function loadCheckFile(file: string, overrides: CheckOverrides = {}): CheckLoadResult {
  const read = readInputFile(file, "check");
  return "issue" in read ? { ok: false, issues: [read.issue] } : parseCheck(read.text, file, overrides);
}

/** Loads a check from its text; `file` locates it (relative paths inside resolve from its folder). */
export function parseCheck(text: string, file: string, overrides: CheckOverrides = {}): CheckLoadResult {
  const { source, data, problems } = parseYaml(text);
  if (problems.length > 0) return { ok: false, issues: sortIssues(problems.map((problem) => ({ file, ...problem, path: "", code: "yaml-syntax" as const }))) };
  if (data === null || typeof data !== "object") {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: "", message: "a check file is a mapping with name, versions and check: { workload }", code: "missing-key" }] };
  }
  const issues = schemaIssues(data, { file, source, data, schema: CheckFileSchema });
  const parsed = CheckFileSchema.safeParse(data);
  if (!parsed.success) return { ok: false, issues: sortIssues(issues) };
  const checkFile = parsed.data;
  const fromCli = overrides.versions !== undefined && overrides.versions.length > 0;
  const asScenario = { ...checkFile, ...(overrides.config !== undefined && { worker: resolve(overrides.config) }), versions: fromCli ? { [overrides.versions![0]!.label]: {} } : (checkFile.versions ?? {}), steps: [] };
  const normalised = normaliseScenario(asScenario, [], { path: resolve(file), displayPath: file, source, fs: { fileExists: isFile }, rawSteps: [] });
  issues.push(...normalised.issues);
  const versions = fromCli ? overrides.versions! : normalised.scenario.versions;
  const labels = versions.map((version) => version.label);
  if (versions.length < 2) issues.push(issueAt(file, source, ["versions"], `a check compares at least two versions (got ${labels.join(", ") || "none"}); list them under versions, oldest first, or give them on the command line`, "invalid-value"));
  const plan = planOf(overrides.plan ?? checkFile.check.plan, labels, file, source, overrides.plan !== undefined, issues);
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues) };
  const { scenario } = normalised;
  return {
    ok: true,
    check: {
      file: resolve(file),
      name: checkFile.name,
      ...(checkFile.description !== undefined && { description: checkFile.description }),
      seed: scenario.seed,
      workerConfig: scenario.workerConfig,
      ...(overrides.env !== undefined && { env: overrides.env }),
      versions,
      ...(plan !== undefined && { plan }),
      deferred: scenario.codeUpdate.mode === "deferred",
      workload: checkFile.check.workload.map((request, index) => workloadItem(request, index, locationOf(source, ["check", "workload", index]))),
    },
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function planOf(plan: CheckFile["check"]["plan"], labels: readonly string[], file: string, source: YamlSource, fromCli: boolean, issues: ScenarioIssue[]): PlanDeployment[] | undefined {
  if (plan === undefined || labels.length < 2) return undefined;
  const parsed = parsePlan(plan, labels);
  if (parsed.ok) return parsed.value;
  if (fromCli) issues.push({ file: "--plan", line: 1, column: 1, path: "", message: parsed.error.message, code: "invalid-plan" });
  else issues.push(issueAt(file, source, ["check", "plan"], parsed.error.message, "invalid-plan"));
  return undefined;
}

function locationOf(source: YamlSource, path: readonly PropertyKey[]): SourceLocation {
  const { line, column } = locate(source, path);
  return { line, column, path: formatPath(path) };
}

function issueAt(file: string, source: YamlSource, path: readonly PropertyKey[], message: string, code: ScenarioIssue["code"]): ScenarioIssue {
  return { file, ...locationOf(source, path), message, code };
}

function workloadItem(request: WorkloadRequestFile, index: number, at: SourceLocation): WorkloadItem {
  const body: TemplateBody | undefined = request.body === undefined ? undefined : typeof request.body === "string" ? { text: request.body } : { json: request.body };
  return {
    index,
    template: { method: request.method ?? "GET", path: request.request, headers: request.headers ?? {}, ...(body !== undefined && { body }) },
    ...(request.object !== undefined && { object: request.object }),
    count: request.count ?? 1,
    ...(request.expect !== undefined && { expect: request.expect }),
    at,
  };
}
