/**
 * Reads a user's wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) through
 * wrangler's own exported readers and keeps what a version worker needs: its entry,
 * compatibility, vars, Durable Object classes, the newest migration tag, the version-metadata
 * binding, what its build depends on, and the rest of its Miniflare options as wrangler builds them.
 * A config wrangler cannot read, or one without a usable `main`, is an input error.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { ModuleRule } from "miniflare";
import { loadMiniflare } from "../build/cjs-packages.js";
import { defaultCompatibilityDate } from "../model/compatibility-date.js";
import { InputError } from "../model/input-error.js";
import type { DeclaredBinding } from "../model/types.js";
import { WRANGLER_VERSION } from "../build/run-wrangler.js";
import type { ClassMigration } from "../model/class-migrations.js";
import { readClassStorages } from "./class-lifecycle.js";
import { readWranglerConfig } from "./config-read.js";

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
  /** Every binding the config declares, by kind and name (a version's `resources.bindings`). */
  readonly declaredBindings?: readonly DeclaredBinding[];
}


/** Reads `configPath` (with `-e/--env` when given), optionally with another entry module than the config's `main`. */
export function readWorkerSource(configPath: string, options: { main?: string; env?: string } = {}): WorkerSource {
  const absolute = path.resolve(configPath);
  const shown = path.relative(process.cwd(), absolute) || absolute;
  const config = readWranglerConfig(absolute, options.env);
  const main = options.main !== undefined ? path.resolve(options.main) : config.main;
  if (main === undefined) throw new InputError("missing-main", `${shown} has no "main": set main = "src/index.ts" (your Worker's entry module) in it.`);
  const mainPath = path.resolve(path.dirname(absolute), main);
  // A [build] command may write the entry module, so only a config without one must have it already.
  if (!config.hasBuildCommand && !existsSync(mainPath)) {
    throw new InputError("missing-main", `${shown}: the entry module ${path.relative(process.cwd(), mainPath) || mainPath} does not exist; fix "main".`);
  }
  if (config.name === undefined) throw new InputError("missing-name", `${shown} has no "name"; dosim needs the Worker's name for routing.`);
  if (config.hasClassExports) {
    throw new InputError(
      "class-exports-unsupported",
      `${shown}: the declarative "exports" form of Durable Object class lifecycle is not supported by dosim (the wrangler it runs, ${WRANGLER_VERSION}, does not read it); declare the classes with "migrations" instead.`,
    );
  }
  // A migration the platform would refuse, or a transferred_classes entry, is an input error here.
  const classStorages = readClassStorages(shown, config.migrations, config.durableObjects.map((binding) => binding.className));
  return {
    configPath: absolute,
    name: config.name,
    main: mainPath,
    compatibilityDate: config.compatibilityDate ?? defaultCompatibilityDate(new Date(), loadMiniflare().supportedCompatibilityDate),
    ...(config.compatibilityDate === undefined && { compatibilityDateDefaulted: true }),
    ...(options.env !== undefined && { env: options.env }),
    moduleRules: config.moduleRules.map((rule) => ({ ...rule })),
    findAdditionalModules: config.findAdditionalModules,
    buildWatchDirs: config.buildWatchDirs,
    compatibilityFlags: config.compatibilityFlags,
    vars: config.vars,
    durableObjects: config.durableObjects,
    sqliteClasses: new Map(config.sqliteClasses),
    declaredBindings: config.declaredBindings,
    ...(config.migrationTag !== undefined && { migrationTag: config.migrationTag, migrations: config.migrations }),
    classStorages,
    ...(config.versionMetadataBinding !== undefined && { versionMetadataBinding: config.versionMetadataBinding }),
    passthroughOptions: config.passthroughOptions,
  };
}
