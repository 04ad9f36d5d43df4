/**
 * Reads a user's wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) through
 * wrangler's own exported readers and keeps what a version worker needs: its entry,
 * compatibility, vars, Durable Object classes, the newest migration tag, the version-metadata
 * binding, what its build depends on, and the rest of its Miniflare options as wrangler builds them.
 * A config wrangler cannot read, or one without a usable `main`, is an input error.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { supportedCompatibilityDate, type ModuleRule } from "miniflare";
import { loadWrangler } from "../build/cjs-packages.js";
import { InputError } from "../model/input-error.js";
import { defaultCompatibilityDate } from "../model/compatibility-date.js";
import type { DeclaredBinding } from "../model/types.js";
import { declaredBindings } from "./declared-bindings.js";

const { unstable_getDurableObjectClassNameToUseSQLiteMap, unstable_getMiniflareWorkerOptions, unstable_readConfig } = loadWrangler();

/** A Durable Object binding of the Worker's own classes. */
export interface DurableObjectBinding {
  readonly binding: string;
  readonly className: string;
}

/** One Worker's source, as its wrangler config describes it. */
export interface WorkerSource {
  /** Absolute path of the config file. */
  readonly configPath: string;
  readonly name: string;
  /** Absolute path of the entry module. */
  readonly main: string;
  readonly compatibilityDate: string;
  /** True when the config sets no date and {@link compatibilityDate} is the model's default (today, capped at workerd's newest date). */
  readonly compatibilityDateDefaulted?: boolean;
  /** The `-e/--env` the config was read with. */
  readonly env?: string;
  /** The Worker's module rules (configured, then wrangler's defaults), as Miniflare takes them. */
  readonly moduleRules?: readonly ModuleRule[];
  readonly findAdditionalModules?: boolean;
  /** Absolute `watch_dir`s of a `[build]` command; empty without one. */
  readonly buildWatchDirs?: readonly string[];
  readonly compatibilityFlags: readonly string[];
  readonly vars: Readonly<Record<string, string>>;
  readonly durableObjects: readonly DurableObjectBinding[];
  /** Class name → whether it uses SQLite storage (from the migrations). */
  readonly sqliteClasses: ReadonlyMap<string, boolean>;
  readonly migrationTag?: string;
  readonly versionMetadataBinding?: string;
  /** The bindings the config declares besides vars and secrets, as the platform's API lists them. */
  readonly declaredBindings?: readonly DeclaredBinding[];
  /**
   * The remaining Miniflare worker options wrangler derives (KV, R2, services...). Durable
   * Objects, vars and version metadata are rebuilt by dosim and removed from here.
   */
  readonly passthroughOptions: Readonly<Record<string, unknown>>;
}

/** Options dosim builds itself, so they are dropped from wrangler's. */
const REBUILT = new Set(["durableObjects", "bindings", "versionMetadata", "additionalUnboundDurableObjects", "name", "modules", "modulesRules"]);

function stringVars(vars: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(vars ?? {}).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** wrangler's reader, with its errors (a broken TOML or JSON, a bad field) as input errors. */
function readConfig(absolute: string, env: string | undefined) {
  if (!existsSync(absolute)) throw new InputError("config-not-found", `${absolute}: no such wrangler config; pass -c/--config with the path of your wrangler config.`);
  try {
    return unstable_readConfig({ config: absolute, ...(env !== undefined && { env }) }, { hideWarnings: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n").map((line) => line.trim()).filter((line) => line !== "").join(" ") : String(error);
    throw new InputError("invalid-config", `${path.relative(process.cwd(), absolute) || absolute}: ${message}`);
  }
}

function buildWatchDirs(config: { build?: { command?: string; watch_dir?: string | string[] } }, configDir: string): string[] {
  if (config.build?.command === undefined) return [];
  // wrangler's reader gives watch_dir relative to the current folder (it joins it to the config's
  // folder, then makes it relative to process.cwd()); only its own default is still config-relative.
  const dirs = config.build.watch_dir;
  if (dirs === undefined) return [path.resolve(configDir, "src")];
  return (Array.isArray(dirs) ? dirs : [dirs]).map((dir) => path.resolve(dir));
}

/** Reads `configPath` (with `-e/--env` when given), optionally with another entry module than the config's `main`. */
export function readWorkerSource(configPath: string, options: { main?: string; env?: string } = {}): WorkerSource {
  const absolute = path.resolve(configPath);
  const shown = path.relative(process.cwd(), absolute) || absolute;
  const config = readConfig(absolute, options.env);
  const main = options.main !== undefined ? path.resolve(options.main) : config.main;
  if (main === undefined) throw new InputError("missing-main", `${shown} has no "main": set main = "src/index.ts" (your Worker's entry module) in it.`);
  const mainPath = path.resolve(path.dirname(absolute), main);
  // A [build] command may write the entry module, so only a config without one must have it already.
  if (config.build?.command === undefined && !existsSync(mainPath)) {
    throw new InputError("missing-main", `${shown}: the entry module ${path.relative(process.cwd(), mainPath) || mainPath} does not exist; fix "main".`);
  }
  if (config.name === undefined) throw new InputError("missing-name", `${shown} has no "name"; dosim needs the Worker's name for routing.`);
  const own = (config.durable_objects?.bindings ?? []).filter((binding: { script_name?: string }) => binding.script_name === undefined);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(absolute, options.env);
  const passthrough = Object.fromEntries(Object.entries(workerOptions).filter(([key]) => !REBUILT.has(key)));
  const lastMigration = config.migrations[config.migrations.length - 1];
  return {
    configPath: absolute,
    name: config.name,
    main: mainPath,
    compatibilityDate: config.compatibility_date ?? defaultCompatibilityDate(new Date(), supportedCompatibilityDate),
    ...(config.compatibility_date === undefined && { compatibilityDateDefaulted: true }),
    ...(options.env !== undefined && { env: options.env }),
    moduleRules: ((workerOptions as { modulesRules?: ModuleRule[] }).modulesRules ?? []).map((rule) => ({ ...rule })),
    findAdditionalModules: config.find_additional_modules === true,
    buildWatchDirs: buildWatchDirs(config, path.dirname(absolute)),
    compatibilityFlags: config.compatibility_flags ?? [],
    vars: stringVars(config.vars as Record<string, unknown>),
    durableObjects: own.map((binding: { name: string; class_name: string }) => ({ binding: binding.name, className: binding.class_name })),
    sqliteClasses: unstable_getDurableObjectClassNameToUseSQLiteMap(config.migrations),
    declaredBindings: declaredBindings(config as unknown as Record<string, unknown>),
    ...(lastMigration !== undefined && { migrationTag: lastMigration.tag }),
    ...(config.version_metadata?.binding !== undefined && { versionMetadataBinding: config.version_metadata.binding }),
    passthroughOptions: passthrough,
  };
}
