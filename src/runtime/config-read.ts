/**
 * The part of a Worker's wrangler config that wrangler's own readers derive, as plain JSON data:
 * what `unstable_readConfig` and `unstable_getMiniflareWorkerOptions` answer, reduced to the fields
 * dosim uses. It is cached between runs (see ../node/config-read-cache.ts), so a replay of a config
 * read before does not load wrangler at all.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { ModuleRule } from "miniflare";
import { loadWrangler } from "../build/cjs-packages.js";
import { InputError } from "../model/input-error.js";
import type { ClassMigration } from "../model/class-migrations.js";
import type { DeclaredBinding } from "../model/types.js";
import { declaredBindings } from "./declared-bindings.js";
import { VERSION_BINDINGS } from "./workers/protocol.js";
import { cachedConfigRead } from "../node/config-read-cache.js";
import { ownDurableObjects } from "../node/own-durable-objects.js";

/** What wrangler's readers say about one config, in JSON-safe form. */
export interface WranglerConfigRead {
  readonly name?: string;
  readonly main?: string;
  readonly compatibilityDate?: string;
  readonly hasBuildCommand: boolean;
  /** Absolute `watch_dir`s of a `[build]` command; empty without one. */
  readonly buildWatchDirs: readonly string[];
  readonly moduleRules: readonly ModuleRule[];
  readonly findAdditionalModules: boolean;
  readonly compatibilityFlags: readonly string[];
  readonly vars: Readonly<Record<string, string>>;
  /**
   * The Worker's own classes (../node/own-durable-objects.ts), each with its binding, or one of
   * dosim's for a class that only the migrations declare.
   */
  readonly durableObjects: readonly { readonly binding: string; readonly className: string }[];
  /** Class name and whether it uses SQLite storage, from the migrations. */
  readonly sqliteClasses: readonly (readonly [string, boolean])[];
  readonly migrationTag?: string;
  readonly versionMetadataBinding?: string;
  readonly passthroughOptions: Readonly<Record<string, unknown>>;
  /** Every binding the config declares, by kind and name. */
  readonly declaredBindings: readonly DeclaredBinding[];
  /** The config's Durable Object class migrations, in order, as plain JSON. */
  readonly migrations: readonly ClassMigration[];
  /** True when the raw config (or its `env`) uses the declarative `exports` form of class lifecycle. */
  readonly hasClassExports: boolean;
}

/** Options dosim builds itself, so they are dropped from wrangler's (all but the outside Durable Objects, see below). */
const REBUILT = new Set(["durableObjects", "bindings", "versionMetadata", "additionalUnboundDurableObjects", "name", "modules", "modulesRules"]);

function stringVars(vars: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(vars ?? {}).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)]));
}

function buildWatchDirs(config: { build?: { command?: string; watch_dir?: string | string[] } }, configDir: string): string[] {
  if (config.build?.command === undefined) return [];
  // wrangler's reader gives watch_dir relative to the current folder (it joins it to the config's
  // folder, then makes it relative to process.cwd()); only its own default is still config-relative.
  const dirs = config.build.watch_dir;
  if (dirs === undefined) return [path.resolve(configDir, "src")];
  return (Array.isArray(dirs) ? dirs : [dirs]).map((dir) => path.resolve(dir));
}

/** wrangler's reader, with its errors (a broken TOML or JSON, a bad field) as input errors. */
function readConfig(absolute: string, env: string | undefined) {
  if (!existsSync(absolute)) throw new InputError("config-not-found", `${absolute}: no such wrangler config; pass -c/--config with the path of your wrangler config.`);
  try {
    return loadWrangler().unstable_readConfig({ config: absolute, ...(env !== undefined && { env }) }, { hideWarnings: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n").map((line) => line.trim()).filter((line) => line !== "").join(" ") : String(error);
    throw new InputError("invalid-config", `${path.relative(process.cwd(), absolute) || absolute}: ${message}`);
  }
}

/** wrangler's reader drops the declarative `exports` field, so the raw config is asked. */
function usesClassExports(absolute: string, env: string | undefined): boolean {
  const raw = loadWrangler().experimental_readRawConfig({ config: absolute }).rawConfig as { exports?: unknown; env?: Record<string, { exports?: unknown }> };
  return raw.exports !== undefined || (env !== undefined && raw.env?.[env]?.exports !== undefined);
}

/**
 * Service designators with every Worker named: wrangler names the Worker itself with Miniflare's
 * symbol for the current worker, which JSON (and so the cache) cannot hold, and which would mean
 * dosim's version worker anyway; here it is the Worker's name, as the config spells it.
 */
function namedServices(services: Record<string, unknown>, workerName: string | undefined): Record<string, unknown> {
  if (workerName === undefined) return services;
  return Object.fromEntries(
    Object.entries(services).map(([binding, designator]) => {
      if (typeof designator === "symbol") return [binding, { name: workerName }];
      const current = typeof designator === "object" && designator !== null && typeof (designator as { name?: unknown }).name === "symbol";
      return [binding, current ? { ...designator, name: workerName } : designator];
    }),
  );
}

/**
 * The Durable Object bindings to classes of other Workers (a `script_name` other than the Worker's
 * own), kept with the other options wrangler derives: dosim builds the bindings of the Worker's own
 * classes itself.
 */
function outsideDurableObjects(bindings: Record<string, unknown> | undefined, workerName: string | undefined): Record<string, unknown> | undefined {
  const outside = Object.entries(bindings ?? {}).filter(([, designator]) => {
    const scriptName = (designator as { scriptName?: unknown }).scriptName;
    return typeof scriptName === "string" && scriptName !== workerName;
  });
  return outside.length === 0 ? undefined : Object.fromEntries(outside);
}

/**
 * `read()` with wrangler's log-level lines held back (its warnings still show), unless WRANGLER_LOG
 * asks for a level of its own. Deriving the options reads `.dev.vars` and says "Using secrets
 * defined in .dev.vars", which `wrangler dev` uses; dosim does not (a version's secrets are the ones
 * a scenario or the secret verbs set, as on the platform), so the line would mislead.
 */
function withoutWranglerLogLines<T>(read: () => T): T {
  if (process.env.WRANGLER_LOG !== undefined) return read();
  process.env.WRANGLER_LOG = "warn";
  try {
    return read();
  } finally {
    delete process.env.WRANGLER_LOG;
  }
}

/** Asks wrangler about the config at `absolute` (read with `env`). */
function askWrangler(absolute: string, env: string | undefined): WranglerConfigRead {
  const config = readConfig(absolute, env);
  const wrangler = loadWrangler();
  // Given the config already read (quietly), not its path: from a path wrangler reads it again with
  // its warnings on, and a field it does not know then sends it to the npm registry to suggest an
  // upgrade (logWarningsWithUpgradeHint, wrangler src/config/index.ts).
  const { workerOptions } = withoutWranglerLogLines(() => wrangler.unstable_getMiniflareWorkerOptions(config, env));
  // Miniflare treats an option set to undefined as absent; JSON cannot tell them apart either.
  const passthrough = Object.fromEntries(Object.entries(workerOptions).filter(([key, value]) => !REBUILT.has(key) && value !== undefined));
  if (passthrough.serviceBindings !== undefined) passthrough.serviceBindings = namedServices(passthrough.serviceBindings as Record<string, unknown>, config.name);
  const outside = outsideDurableObjects(workerOptions.durableObjects as Record<string, unknown> | undefined, config.name);
  if (outside !== undefined) passthrough.durableObjects = outside;
  const sqliteClasses = [...wrangler.unstable_getDurableObjectClassNameToUseSQLiteMap(config.migrations)] as [string, boolean][];
  // A class no binding names gets one of dosim's own, which user code never sees (dosim's prefix):
  // it is hosted and routed as a bound class is.
  const own = ownDurableObjects(config, sqliteClasses.map(([className]) => className)).map(({ binding, className }) => ({ binding: binding ?? `${VERSION_BINDINGS.unboundPrefix}${className}`, className }));
  const lastMigration = config.migrations[config.migrations.length - 1];
  return {
    ...(config.name !== undefined && { name: config.name }),
    ...(config.main !== undefined && { main: config.main }),
    ...(config.compatibility_date !== undefined && { compatibilityDate: config.compatibility_date }),
    hasBuildCommand: config.build?.command !== undefined,
    buildWatchDirs: buildWatchDirs(config, path.dirname(absolute)),
    moduleRules: ((workerOptions as { modulesRules?: ModuleRule[] }).modulesRules ?? []).map((rule) => ({ ...rule })),
    findAdditionalModules: config.find_additional_modules === true,
    compatibilityFlags: config.compatibility_flags ?? [],
    vars: stringVars(config.vars as Record<string, unknown>),
    durableObjects: own,
    sqliteClasses,
    ...(lastMigration !== undefined && { migrationTag: lastMigration.tag }),
    ...(config.version_metadata?.binding !== undefined && { versionMetadataBinding: config.version_metadata.binding }),
    passthroughOptions: passthrough,
    declaredBindings: declaredBindings(config as unknown as Record<string, unknown>),
    migrations: JSON.parse(JSON.stringify(config.migrations)) as ClassMigration[],
    hasClassExports: usesClassExports(absolute, env),
  };
}

/** What wrangler says about the config at `absolute` read with `env`: cached, or asked now. */
export function readWranglerConfig(absolute: string, env: string | undefined): WranglerConfigRead {
  return cachedConfigRead("worker-source", 5, absolute, env, [], () => askWrangler(absolute, env));
}
