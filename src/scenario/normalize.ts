/**
 * A validated scenario file → a {@link Scenario}: defaults applied, relative paths resolved against
 * the file's folder, versions checked against the limits, then the steps in order.
 */
import { dirname, resolve } from "node:path";
import { defaultCodeUpdate } from "../model/code-update.js";
import { withLimits } from "../model/limits.js";
import { utf8ByteLength } from "../model/utf8.js";
import { generatedNames } from "../node/object-names.js";
import { CheckContext } from "./check-context.js";
import { normaliseSteps } from "./normalize-steps.js";
import type { Progress } from "./normalize-operations.js";
import { GUARANTEE_NAMES, type ScenarioFile, type StepFile } from "./schema.js";
import type { Scenario, ScenarioVersion } from "./types.js";
import { collectLocations, type YamlSource } from "./yaml-source.js";

/** The wrangler config names looked for when a scenario does not say `worker`. */
export const WRANGLER_CONFIG_NAMES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

/** What the loader needs from the file system. */
export interface FileSystemProbe {
  readonly fileExists: (absolutePath: string) => boolean;
}

/**
 * Checks and normalises `file`. `steps` may hold undefined for steps that failed the schema:
 * they are skipped, and later order checks are relaxed so one mistake is reported once.
 */
export function normaliseScenario(
  file: ScenarioFile,
  steps: readonly (StepFile | undefined)[],
  context: { path: string; displayPath: string; source: YamlSource; fs: FileSystemProbe; rawSteps: readonly unknown[] },
): { scenario: Scenario; issues: CheckContext["issues"] } {
  const ctx = new CheckContext(context.displayPath, context.source, withLimits(file.limits ?? {}));
  const folder = dirname(context.path);
  const versions = Object.entries(file.versions).map(([label, declaration]) => declareVersion(ctx, label, declaration ?? {}, folder, context.fs));
  if (versions.length === 0) ctx.report(["versions"], "declare at least one version, for example versions: { A: {} }", "invalid-value");
  const workerConfig = findWorkerConfig(ctx, file.worker, folder, context.fs);
  const objects = typeof file.objects === "number" ? generatedNames(file.objects) : (file.objects ?? []);
  reportDuplicates(ctx, typeof file.objects === "number" ? [] : objects, ["objects"], "object");
  if (typeof file.objects !== "number") objects.forEach((ref, index) => ctx.objectRef(ref, ["objects", index]));
  const codeUpdate = ctx.codeUpdate(file.codeUpdate, ["codeUpdate"], defaultCodeUpdate(ctx.limits));
  const guarantees = file.guarantees === "all" ? [...GUARANTEE_NAMES] : (file.guarantees ?? []);
  reportDuplicates(ctx, guarantees, ["guarantees"], "guarantee");
  const progress: Progress = { deployed: false, uploaded: new Set(), defaultCodeUpdate: codeUpdate, lenient: false };
  const normalised = normaliseSteps(ctx, steps, progress, objects, context.rawSteps);
  const scenario: Scenario = {
    file: context.path,
    name: file.name,
    ...(file.description !== undefined && { description: file.description }),
    seed: String(file.seed ?? 1),
    workerConfig,
    objects,
    versions,
    labels: [...ctx.labels],
    codeUpdate,
    limits: ctx.limits,
    guarantees,
    steps: normalised,
    objectRefs: ctx.objectRefs,
    locations: collectLocations(context.source),
  };
  return { scenario, issues: ctx.issues };
}

type Declaration = NonNullable<ScenarioFile["versions"][string]>;

function declareVersion(ctx: CheckContext, label: string, declaration: Declaration, folder: string, fs: FileSystemProbe): ScenarioVersion {
  const path = ["versions", label];
  const tag = declaration.tag ?? label;
  if (utf8ByteLength(tag) > ctx.limits.maxTagBytes) {
    ctx.report(declaration.tag === undefined ? path : [...path, "tag"], `the tag is ${utf8ByteLength(tag)} bytes; shorten it to at most ${ctx.limits.maxTagBytes}`, "tag-too-long");
  }
  for (const name of Object.keys(declaration.secrets ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) ctx.report([...path, "secrets", name], `"${name}" is not a valid secret name; use letters, digits and underscores`, "invalid-secret-name", "key");
  }
  const config = existingFile(ctx, declaration.config, [...path, "config"], folder, fs);
  const main = existingFile(ctx, declaration.main, [...path, "main"], folder, fs);
  ctx.declared.add(label);
  ctx.labels.push(label);
  return {
    label,
    tag,
    ...(declaration.message !== undefined && { message: declaration.message }),
    vars: declaration.vars ?? {},
    secrets: declaration.secrets ?? {},
    migrations: declaration.migrations ?? [],
    ...(config !== undefined && { config }),
    ...(main !== undefined && { main }),
    at: ctx.location(path, "key"),
  };
}

/** Resolves a path written in the scenario against its folder, and checks that the file exists. */
function existingFile(ctx: CheckContext, written: string | undefined, path: readonly PropertyKey[], folder: string, fs: FileSystemProbe): string | undefined {
  if (written === undefined) return undefined;
  const absolute = resolve(folder, written);
  if (!fs.fileExists(absolute)) ctx.report(path, `${written} does not exist (looked for ${absolute}); paths are relative to the scenario file`, "file-not-found");
  return absolute;
}

function findWorkerConfig(ctx: CheckContext, worker: string | undefined, folder: string, fs: FileSystemProbe): string {
  if (worker !== undefined) return existingFile(ctx, worker, ["worker"], folder, fs)!;
  // wrangler's search: each name from this folder up to the root, before the next name.
  for (const name of WRANGLER_CONFIG_NAMES) {
    for (let dir = folder; ; dir = dirname(dir)) {
      if (fs.fileExists(resolve(dir, name))) return resolve(dir, name);
      if (dirname(dir) === dir) break;
    }
  }
  ctx.report(["worker"], `no wrangler config (${WRANGLER_CONFIG_NAMES.join(", ")}) in this folder or above; set worker: path/to/wrangler.toml`, "file-not-found");
  return resolve(folder, "wrangler.toml");
}

function reportDuplicates(ctx: CheckContext, values: readonly string[], path: readonly PropertyKey[], what: string): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) ctx.report([...path, index], `the ${what} "${value}" is listed twice`, "duplicate-name");
    seen.add(value);
  });
}
