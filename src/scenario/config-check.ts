/**
 * The Worker configs a scenario runs, checked without starting workerd: each version's config
 * (the scenario's `worker`, or its own `config`) must read, name an entry module (`main`, or the
 * version's own), and that module must exist. The config reader is loaded only here, on demand:
 * it brings wrangler, which the other checks do not need.
 */
import { existsSync, statSync } from "node:fs";
import { InputError } from "../model/input-error.js";
import { formatPath, type ScenarioIssue } from "./issues.js";
import type { Scenario, SourceLocation } from "./types.js";
import { objectRefIssues, type ObjectBinding } from "./object-refs.js";

/** The code of a Worker config that cannot be used. */
export const INVALID_WORKER_CONFIG = "invalid-worker-config";

/** One config (with an entry override) to read, and where the scenario names it. */
interface ConfigUse {
  readonly config: string;
  readonly main?: string;
  readonly at: SourceLocation;
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

/** Every distinct config and entry pair the scenario's versions run, at the place that names it. */
function configUses(scenario: Scenario): ConfigUse[] {
  const workerAt = scenario.locations["worker"] ?? { line: 1, column: 1, path: "worker" };
  const uses = new Map<string, ConfigUse>();
  const add = (use: ConfigUse): void => {
    const key = `${use.config}\n${use.main ?? ""}`;
    if (!uses.has(key)) uses.set(key, use);
  };
  for (const version of scenario.versions) {
    const config = version.config ?? scenario.workerConfig;
    const written = (key: string): SourceLocation | undefined => scenario.locations[formatPath(["versions", version.label, key])];
    const at = written("config") ?? written("main") ?? workerAt;
    add({ config, ...(version.main !== undefined && { main: version.main }), at });
  }
  if (uses.size === 0) add({ config: scenario.workerConfig, at: workerAt });
  return [...uses.values()];
}

/**
 * The problems of the scenario's Worker configs: unreadable, no `main`, a missing entry module;
 * then, when every config reads, object references to a class or binding none of them has.
 */
export async function checkWorkerConfigs(scenario: Scenario, displayPath: string): Promise<ScenarioIssue[]> {
  const { readWorkerSource } = await import("../runtime/config.js");
  const issues: ScenarioIssue[] = [];
  const bindings: ObjectBinding[] = [];
  let unread = 0;
  const issue = (at: SourceLocation, message: string): ScenarioIssue => ({ file: displayPath, line: at.line, column: at.column, path: at.path, message, code: INVALID_WORKER_CONFIG });
  for (const use of configUses(scenario)) {
    if (!isFile(use.config)) continue; // The loader reports a missing config already.
    try {
      const source = readWorkerSource(use.config, use.main === undefined ? {} : { main: use.main });
      for (const binding of source.durableObjects) if (!bindings.some((known) => known.binding === binding.binding && known.className === binding.className)) bindings.push(binding);
      if (!isFile(source.main)) issues.push(issue(use.at, `${use.config}: its main module ${source.main} does not exist; fix "main" or create the file`));
    } catch (error) {
      unread++;
      const message = (error instanceof Error ? error.message : String(error)).split("\n").find((line) => line.trim() !== "") ?? "cannot be read";
      // The reader's input errors name the config already; anything else gets its path in front.
      issues.push(issue(use.at, error instanceof InputError || message.includes(use.config) ? message.trim() : `${use.config}: ${message.trim()}`));
    }
  }
  // The default class is the scenario's own config's first: read it first, whatever the versions list.
  const base = isFile(scenario.workerConfig) ? safeBindings(() => readWorkerSource(scenario.workerConfig).durableObjects) : undefined;
  if (unread === 0 && base !== undefined) issues.push(...objectRefIssues(scenario, [...base, ...bindings.filter((binding) => !base.some((known) => known.binding === binding.binding && known.className === binding.className))], displayPath));
  return issues;
}

/** The bindings a read gives, or undefined when the config cannot be read (reported already). */
function safeBindings(read: () => readonly ObjectBinding[]): readonly ObjectBinding[] | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
