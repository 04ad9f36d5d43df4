/**
 * Reads a user's wrangler config (toml or jsonc) through wrangler's own exported readers and keeps
 * what a version worker needs: its entry, compatibility, vars, Durable Object classes, the newest
 * migration tag, the version-metadata binding, and the rest of its Miniflare options as wrangler
 * builds them.
 */
import path from "node:path";
import { unstable_getDurableObjectClassNameToUseSQLiteMap, unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

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
  readonly compatibilityFlags: readonly string[];
  readonly vars: Readonly<Record<string, string>>;
  readonly durableObjects: readonly DurableObjectBinding[];
  /** Class name → whether it uses SQLite storage (from the migrations). */
  readonly sqliteClasses: ReadonlyMap<string, boolean>;
  readonly migrationTag?: string;
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

/** Reads `configPath`, optionally with another entry module than the config's `main`. */
export function readWorkerSource(configPath: string, options: { main?: string } = {}): WorkerSource {
  const absolute = path.resolve(configPath);
  const config = unstable_readConfig({ config: absolute }, { hideWarnings: true });
  const main = options.main !== undefined ? path.resolve(options.main) : config.main;
  if (main === undefined) throw new Error(`${absolute} has no "main" entry; set one or pass main explicitly.`);
  if (config.name === undefined) throw new Error(`${absolute} has no "name"; dosim needs the Worker's name for routing.`);
  const own = (config.durable_objects?.bindings ?? []).filter((binding: { script_name?: string }) => binding.script_name === undefined);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(absolute);
  const passthrough = Object.fromEntries(Object.entries(workerOptions).filter(([key]) => !REBUILT.has(key)));
  const lastMigration = config.migrations[config.migrations.length - 1];
  return {
    configPath: absolute,
    name: config.name,
    main: path.resolve(path.dirname(absolute), main),
    compatibilityDate: config.compatibility_date ?? "2026-04-01",
    compatibilityFlags: config.compatibility_flags ?? [],
    vars: stringVars(config.vars as Record<string, unknown>),
    durableObjects: own.map((binding: { name: string; class_name: string }) => ({ binding: binding.name, className: binding.class_name })),
    sqliteClasses: unstable_getDurableObjectClassNameToUseSQLiteMap(config.migrations),
    ...(lastMigration !== undefined && { migrationTag: lastMigration.tag }),
    ...(config.version_metadata?.binding !== undefined && { versionMetadataBinding: config.version_metadata.binding }),
    passthroughOptions: passthrough,
  };
}
