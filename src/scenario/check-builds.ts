/**
 * Builds the code of a loaded scenario's versions (its Worker's config, and each version's own
 * config or entry) the way a replay would, offline and without starting workerd, and turns each
 * failure into a scenario issue at the version that names the code.
 */
import path from "node:path";
import { InputError } from "../model/input-error.js";
import { checkUserCodeBuilds } from "../runtime/bundle.js";
import { readWorkerSource } from "../runtime/config.js";
import type { ScenarioIssue } from "./issues.js";
import type { Scenario } from "./types.js";

/** The code a scenario builds: where it is named (a location path) and what it is. */
interface CodeToBuild {
  readonly at: string;
  readonly config: string;
  readonly main?: string;
}

function codeOf(scenario: Scenario): CodeToBuild[] {
  const code: CodeToBuild[] = [{ at: "worker", config: scenario.workerConfig }];
  for (const version of scenario.versions) {
    if (version.config === undefined && version.main === undefined) continue;
    code.push({ at: `versions.${version.label}`, config: version.config ?? scenario.workerConfig, ...(version.main !== undefined && { main: version.main }) });
  }
  return code;
}

/** Every build problem of the scenario's code (none when each version builds). */
export async function checkBuilds(scenario: Scenario): Promise<ScenarioIssue[]> {
  const issues: ScenarioIssue[] = [];
  const seen = new Set<string>();
  for (const code of codeOf(scenario)) {
    const key = `${code.config}\n${code.main ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      await checkUserCodeBuilds(readWorkerSource(code.config, code.main !== undefined ? { main: code.main } : {}));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const where = scenario.locations[code.at] ?? { line: 1, column: 1 };
      const label = code.at === "worker" ? "the Worker" : `version ${code.at.slice("versions.".length)}`;
      issues.push({
        file: path.relative(process.cwd(), scenario.file) || scenario.file,
        line: where.line,
        column: where.column,
        path: code.at,
        message: `${label}: ${error.message}`,
        code: error.code === "build-failed" ? "build-failed" : "invalid-config",
      });
    }
  }
  return issues;
}
