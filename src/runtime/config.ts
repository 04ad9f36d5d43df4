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
import type { ClassMigration } from "../model/class-migrations.js";
import { readClassStorages } from "./class-lifecycle.js";
import { InputError } from "../model/input-error.js";

const { experimental_readRawConfig, unstable_getDurableObjectClassNameToUseSQLiteMap, unstable_getMiniflareWorkerOptions, unstable_readConfig } = loadWrangler();

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
  /** True when the config sets no date and {@link compatibilityDate} is {@link defaultCompatibilityDate}'s. */
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
  /** The config's Durable Object class migrations, in order (absent in older manifests). */
  readonly migrations?: readonly ClassMigration[];
  /**
   * Class name → the storage its objects keep their data in (the class that created it, followed
   * through renames); a class absent here is its own storage.
   */
  readonly classStorages?: Readonly<Record<string, string>>;
  readonly versionMetadataBinding?: string;
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

/**
 * The date a config without `compatibility_date` runs with: today's (UTC), as `wrangler dev` uses,
 * but no later than the newest date the installed workerd supports (workerd refuses later ones).
 */
export function defaultCompatibilityDate(now: Date = new Date()): string {
  const today = now.toISOString().slice(0, 10);
  return today < supportedCompatibilityDate ? today : supportedCompatibilityDate;
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

/**
 * The class → storage map of the config's migrations. A migration the platform would refuse, a
 * `transferred_classes` (between Workers, which one simulated Worker cannot have) and the
 * declarative `exports` form of class lifecycle (which wrangler 4.86 does not read) are input errors.
 */
function readClassLifecycle(absolute: string, shown: string, migrations: readonly ClassMigration[], env: string | undefined, boundClasses: readonly string[]): Record<string, string> {
  const raw = experimental_readRawConfig({ config: absolute }).rawConfig as { exports?: unknown; env?: Record<string, { exports?: unknown }> };
  if (raw.exports !== undefined || (env !== undefined && raw.env?.[env]?.exports !== undefined)) {
    throw new InputError(
      "class-exports-unsupported",
      `${shown}: the declarative "exports" form of Durable Object class lifecycle is not supported by dosim (the wrangler it runs, 4.86, does not read it); declare the classes with "migrations" instead.`,
    );
  }
  return readClassStorages(shown, migrations, boundClasses);
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
  const migrations = readClassLifecycle(absolute, shown, config.migrations as readonly ClassMigration[], options.env, own.map((binding: { class_name: string }) => binding.class_name));
  const { workerOptions } = unstable_getMiniflareWorkerOptions(absolute, options.env);
  const passthrough = Object.fromEntries(Object.entries(workerOptions).filter(([key]) => !REBUILT.has(key)));
  const lastMigration = config.migrations[config.migrations.length - 1];
  return {
    configPath: absolute,
    name: config.name,
    main: mainPath,
    compatibilityDate: config.compatibility_date ?? defaultCompatibilityDate(),
    ...(config.compatibility_date === undefined && { compatibilityDateDefaulted: true }),
    ...(options.env !== undefined && { env: options.env }),
    moduleRules: ((workerOptions as { modulesRules?: ModuleRule[] }).modulesRules ?? []).map((rule) => ({ ...rule })),
    findAdditionalModules: config.find_additional_modules === true,
    buildWatchDirs: buildWatchDirs(config, path.dirname(absolute)),
    compatibilityFlags: config.compatibility_flags ?? [],
    vars: stringVars(config.vars as Record<string, unknown>),
    durableObjects: own.map((binding: { name: string; class_name: string }) => ({ binding: binding.name, className: binding.class_name })),
    sqliteClasses: unstable_getDurableObjectClassNameToUseSQLiteMap(config.migrations),
    ...(lastMigration !== undefined && { migrationTag: lastMigration.tag, migrations: JSON.parse(JSON.stringify(config.migrations)) as ClassMigration[] }),
    classStorages: migrations,
    ...(config.version_metadata?.binding !== undefined && { versionMetadataBinding: config.version_metadata.binding }),
    passthroughOptions: passthrough,
  };
}
