/**
 * A generated rollout as a whole scenario file: the target's Worker, versions and objects, the
 * rollout's steps, and on each step the expectations the oracle worked out. Paths are written
 * relative to where the file goes, so the file replays from there with `dosim replay`.
 */
import path from "node:path";
import { Document, isCollection, isMap, isSeq } from "yaml";
import type { CodeUpdate } from "../model/types.js";
import { withLimits } from "../model/limits.js";
import { readWorkerSource } from "../runtime/config.js";
import { storageKey } from "../runtime/options.js";
import { DEFAULT_START_MS } from "../runtime/simulator-types.js";
import { sourceOf, versionInput } from "../runtime/version-spec.js";
import type { VersionSpec } from "../runtime/simulator-types.js";
import { formatIssue } from "../scenario/issues.js";
import { parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import type { Rollout } from "./commands.js";
import { oracleExpectations, type OracleContext } from "./oracle.js";
import { rolloutSteps, type RawStep } from "./rollout-steps.js";
import type { FuzzTarget, FuzzVersion } from "./target.js";

/** A rollout ready to run: the file's text and the loaded scenario. */
export interface RolloutScenario {
  readonly text: string;
  readonly scenario: Scenario;
}

/** Where the file goes and what its opening comment says. */
export interface FileOptions {
  /** The scenario file's path (relative paths inside it resolve from its folder). */
  readonly file: string;
  /** Comment lines at the top of the file. */
  readonly comment?: string;
}

/** Builds a rollout's scenario for a target prepared by {@link oracleContext}. */
export function rolloutScenario(rollout: Rollout, target: FuzzTarget, context: OracleContext, options: FileOptions): RolloutScenario {
  const { steps, sockets } = rolloutSteps(rollout, target);
  const header = fileHeader(target, rollout.scenarioSeed, path.dirname(path.resolve(options.file)));
  const bare = load({ ...header, steps }, options);
  const expectations = oracleExpectations(bare.scenario, context, sockets);
  const checked = steps.map((step, index): RawStep => {
    const { expect, during, quiet } = expectations[index] ?? {};
    // Nothing is sent on a socket that is closed by then (or may be).
    const { send: _, ...unsent } = step;
    const sent = quiet === true ? unsent : step;
    const withDuring = during === undefined || Object.keys(during).length === 0 ? sent : { ...sent, during: { ...(step.during as RawStep), expect: during } };
    return expect === undefined || Object.keys(expect).length === 0 ? withDuring : { ...withDuring, expect };
  });
  return load({ ...header, steps: checked }, options);
}

/** The oracle's context for a target: its Worker's name, object class and each version's upload input. */
export function oracleContext(target: FuzzTarget): OracleContext {
  const base = readWorkerSource(target.config);
  const className = base.durableObjects[0]?.className;
  if (className === undefined) throw new Error(`${target.config} binds no Durable Object class; dosim fuzz rolls out Workers with Durable Objects`);
  const specs = new Map(target.versions.map((version) => [version.label, versionSpec(version)]));
  const inputs = new Map<string, ReturnType<typeof versionInput>>();
  const inputOf = (label: string) => {
    const spec = specs.get(label) ?? { label };
    return inputs.get(label) ?? inputs.set(label, versionInput(sourceOf(base, spec), spec)).get(label)!;
  };
  return {
    workerName: base.name,
    uniqueKey: storageKey(base.name, base, className),
    limits: withLimits(target.limits),
    startMs: DEFAULT_START_MS,
    inputOf,
    counted: { path: target.request.path, method: target.request.method },
    ...(target.countField !== undefined && { countField: target.countField }),
  };
}

/** The simulator's spec of a fuzzed version (as the scenario runner builds it from the file). */
function versionSpec(version: FuzzVersion): VersionSpec {
  const migrations = version.migrations ?? [];
  return {
    label: version.label,
    tag: version.tag ?? version.label,
    ...(version.message !== undefined && { message: version.message }),
    vars: version.vars ?? {},
    secrets: version.secrets ?? {},
    ...(version.config !== undefined && { config: version.config }),
    ...(version.main !== undefined && { main: version.main }),
    ...(migrations.length > 0 && { migrationTag: migrations[migrations.length - 1]!.tag, migrations }),
  };
}

/** Everything above `steps`. */
function fileHeader(target: FuzzTarget, seed: number, folder: string): Record<string, unknown> {
  const relative = (file: string): string => path.relative(folder, file).split(path.sep).join("/") || ".";
  const versions: Record<string, unknown> = {};
  for (const version of target.versions) {
    const { label, config, main, ...rest } = version;
    versions[label] = { ...rest, ...(config !== undefined && { config: relative(config) }), ...(main !== undefined && { main: relative(main) }) };
  }
  return {
    name: "fuzz",
    seed,
    worker: relative(target.config),
    objects: [...target.objects],
    versions,
    ...(target.codeUpdate !== undefined && { codeUpdate: codeUpdateText(target.codeUpdate) }),
    ...(Object.keys(target.limits).length > 0 && { limits: target.limits }),
    guarantees: "all",
  };
}

/** A code-update strategy as a scenario writes it. */
function codeUpdateText(codeUpdate: CodeUpdate): unknown {
  return codeUpdate.mode === "immediate" ? "immediate" : { mode: "deferred", maxDelay: `${codeUpdate.maxDelayMs}ms` };
}

/** Writes the data as YAML and loads it back, as `dosim replay` would load the file. */
function load(data: Record<string, unknown>, options: FileOptions): RolloutScenario {
  const document = new Document(data);
  // Short collections inside a step read best on one line: `expect: { objects: { foo: A } }`.
  const steps = document.get("steps");
  if (isSeq(steps)) {
    for (const step of steps.items) if (isMap(step)) for (const pair of step.items) if (isCollection(pair.value)) pair.value.flow = true;
  }
  const objects = document.get("objects");
  if (isCollection(objects)) objects.flow = true;
  if (options.comment !== undefined) document.commentBefore = options.comment;
  const text = document.toString({ lineWidth: 0, flowCollectionPadding: true });
  const loaded = parseScenario(text, options.file);
  if (!loaded.ok) throw new Error(`internal error: a generated rollout does not load: ${loaded.issues.map((issue) => formatIssue(issue)).join("; ")}`);
  return { text, scenario: loaded.scenario };
}
