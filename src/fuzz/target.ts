/**
 * What `dosim fuzz` rolls out: a Worker (its wrangler config), the versions to upload, the objects
 * to follow and the request that reaches an object. The versions come from a scenario file's
 * `versions:` (with its config, objects, code-update strategy and limits), from `--version
 * NAME=path` flags (a path to a wrangler config or an entry module), or both; with neither, two
 * versions of the config as it is, A and B.
 */
import path from "node:path";
import { existsSync } from "node:fs";
import { resolveWranglerConfig } from "../build/find-config.js";
import { InputError } from "../model/input-error.js";
import { DEFAULT_LIMITS, type Limits } from "../model/limits.js";
import type { CodeUpdate } from "../model/types.js";
import { formatIssue } from "../scenario/issues.js";
import { LABEL_PATTERN } from "../scenario/schema.js";
import type { ScenarioMigration } from "../scenario/types.js";
import { loadFuzzFile } from "./load.js";
import type { FuzzCallFile, FuzzSocketFile } from "./schema.js";

/** One version to fuzz over; paths are absolute. */
export interface FuzzVersion {
  readonly label: string;
  readonly tag?: string;
  readonly message?: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly migrations?: readonly ScenarioMigration[];
  readonly config?: string;
  readonly main?: string;
}

/** The request the workload sends to an object; `{name}` in the path stands for its name. */
export interface FuzzRequest {
  readonly path: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
}

/** Everything a rollout is generated for. */
export interface FuzzTarget {
  /** The absolute path of the wrangler config. */
  readonly config: string;
  readonly versions: readonly FuzzVersion[];
  readonly objects: readonly string[];
  /** The file's default code-update strategy, when it sets one. */
  readonly codeUpdate?: CodeUpdate;
  /** Limits the file changes from the platform's. */
  readonly limits: Partial<Limits>;
  readonly request: FuzzRequest;
  /** The JSON field of an object's response that counts its stored writes (undefined: no count check). */
  readonly countField?: string;
  /** The user's invariants: the file's `request` steps that carry an `expect`, as written; checked after every step. */
  readonly invariants: readonly Record<string, unknown>[];
  /** The WebSocket endpoints the workload opens (the fuzz file's `fuzz.sockets`). */
  readonly sockets: readonly FuzzSocketFile[];
  /** The calls the workload sends (the fuzz file's `fuzz.calls`). */
  readonly calls: readonly FuzzCallFile[];
}

/** The flags that choose the target. */
export interface TargetFlags {
  readonly scenario?: string;
  readonly config?: string;
  readonly version: readonly string[];
  readonly path: string;
  readonly method: string;
  readonly countField: string;
}

const DEFAULT_OBJECTS = ["foo", "bar", "baz"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const CONFIG_EXTENSIONS = [".toml", ".json", ".jsonc"];

/** Reads the flags into a target; every problem is an {@link InputError} (exit code 2). */
export function resolveTarget(flags: TargetFlags): FuzzTarget {
  const fromFile = flags.scenario === undefined ? undefined : scenarioTarget(flags.scenario);
  const config = flags.config !== undefined || fromFile === undefined ? resolveWranglerConfig(flags.config) : fromFile.config;
  const extra = flags.version.map(versionFlag);
  // Without a file, the config as it is comes first, as A, unless a flag names A itself.
  const base = fromFile?.versions ?? (extra.some((version) => version.label === "A") ? [] : [{ label: "A" }]);
  const versions = mergeVersions(base, extra);
  const method = flags.method.toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) throw new InputError("invalid-input", `--method ${flags.method} is not one of ${METHODS.join(", ")}.`);
  if (!flags.path.startsWith("/") || !flags.path.includes("{name}")) {
    throw new InputError("invalid-input", `--path ${flags.path} must start with / and hold {name}, where the object's name goes (e.g. --path /rooms/{name}).`);
  }
  return {
    config,
    versions: versions.length > 1 || extra.length > 0 ? versions : [...versions, { label: "B" }],
    objects: fromFile?.objects ?? DEFAULT_OBJECTS,
    ...(fromFile?.codeUpdate !== undefined && { codeUpdate: fromFile.codeUpdate }),
    limits: fromFile?.limits ?? {},
    request: { path: flags.path, method: method as FuzzRequest["method"] },
    invariants: fromFile?.invariants ?? [],
    sockets: fromFile?.sockets ?? [],
    calls: fromFile?.calls ?? [],
    ...(flags.countField !== "none" && { countField: flags.countField }),
  };
}

/** The target parts a scenario file gives; the file must load (else its problems, exit 2). */
function scenarioTarget(file: string): Omit<FuzzTarget, "request" | "countField"> {
  const loaded = loadFuzzFile(file);
  if (!loaded.ok) throw new InputError("invalid-input", `${file} does not load: ${loaded.issues.map((issue) => formatIssue(issue)).join("; ")}`);
  const { scenario, file: written } = loaded;
  const limits: Partial<Record<keyof Limits, number>> = {};
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) if (scenario.limits[key] !== DEFAULT_LIMITS[key]) limits[key] = scenario.limits[key];
  const versions = scenario.versions.map((version): FuzzVersion => ({
    label: version.label,
    ...(version.tag !== version.label && { tag: version.tag }),
    ...(version.message !== undefined && { message: version.message }),
    ...(Object.keys(version.vars).length > 0 && { vars: version.vars }),
    ...(Object.keys(version.secrets).length > 0 && { secrets: version.secrets }),
    ...(version.migrations.length > 0 && { migrations: version.migrations }),
    ...(version.config !== undefined && { config: version.config }),
    ...(version.main !== undefined && { main: version.main }),
  }));
  return {
    config: scenario.workerConfig,
    versions,
    objects: scenario.objects.length > 0 ? scenario.objects.slice(0, 12) : DEFAULT_OBJECTS,
    // Written back only when the file chose one: the platform's default needs no line.
    ...(written.codeUpdate !== undefined && { codeUpdate: scenario.codeUpdate }),
    limits,
    invariants: written.steps.filter((step) => "request" in step && step.expect !== undefined),
    sockets: written.fuzz?.sockets ?? [],
    calls: written.fuzz?.calls ?? [],
  };
}

/** `--version NAME=path`: a wrangler config (.toml, .json, .jsonc) or an entry module for that version. */
function versionFlag(text: string): FuzzVersion {
  const equals = text.indexOf("=");
  const label = text.slice(0, Math.max(equals, 0));
  const file = text.slice(equals + 1);
  if (equals <= 0 || !LABEL_PATTERN.test(label) || file === "") {
    throw new InputError("invalid-input", `--version ${text} is not NAME=path; write e.g. --version B=src/worker-b.ts or --version B=wrangler.b.toml (NAME starts with a letter).`);
  }
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new InputError("invalid-input", `--version ${text}: ${file} does not exist; give the path of an entry module or a wrangler config.`);
  return CONFIG_EXTENSIONS.includes(path.extname(absolute)) ? { label, config: absolute } : { label, main: absolute };
}

/** The file's versions, then the flags' (a flag replaces a file's version of the same name). */
function mergeVersions(fromFile: readonly FuzzVersion[], fromFlags: readonly FuzzVersion[]): FuzzVersion[] {
  const merged = new Map(fromFile.map((version) => [version.label, version]));
  for (const version of fromFlags) merged.set(version.label, version);
  return [...merged.values()];
}
