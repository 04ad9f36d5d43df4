/**
 * The Durable Object namespace key of a wrangler config, derived as Miniflare does by default:
 * `<worker name>-<class name>` for the first Durable Object class the Worker defines itself
 * (own-durable-objects.ts).
 * The config is the one given, or the one wrangler finds (wrangler.json, .jsonc, .toml, here or
 * above). wrangler's own config reader derives the key (environments included), so dosim never
 * parses a config in a way that could disagree with wrangler. Loading wrangler takes about two
 * seconds, so the answer is cached (see config-read-cache.ts): `dosim plan` loads wrangler only
 * the first time it sees a config.
 */
import { loadWrangler } from "../build/cjs-packages.js";
import { resolveWranglerConfig } from "../build/find-config.js";
import { InputError } from "../model/input-error.js";
import { cachedConfigRead } from "./config-read-cache.js";
import { ownDurableObjects, type DurableObjectConfig } from "./own-durable-objects.js";

/** Reads the config (`configPath`, or the one wrangler finds; `env` as `-e/--env`) and returns `<name>-<first DO class>`. */
export async function namespaceFromWranglerConfig(configPath: string | undefined, env?: string): Promise<string> {
  const absolute = resolveWranglerConfig(configPath);
  return cachedConfigRead("namespace", 4, absolute, env, [], () => deriveNamespace(absolute, env));
}

/** Asks wrangler's own reader for the config, and derives the key from its answer. */
function deriveNamespace(absolute: string, env: string | undefined): string {
  const { unstable_readConfig, unstable_getDurableObjectClassNameToUseSQLiteMap } = loadWrangler();
  let config: DurableObjectConfig & { migrations?: unknown[] };
  try {
    // wrangler's published types do not resolve under NodeNext, so the fields we read are typed here.
    config = unstable_readConfig({ config: absolute, ...(env !== undefined && { env }) }, { hideWarnings: true });
  } catch (error) {
    throw new InputError("invalid-config", `${absolute}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  // Miniflare keys a class no binding names (one reached through ctx.exports) the same way.
  const declared = ownDurableObjects(config, unstable_getDurableObjectClassNameToUseSQLiteMap(config.migrations ?? []).keys())[0]?.className;
  if (config.name === undefined || declared === undefined) {
    throw new InputError("invalid-input", `${absolute} names no Worker with a Durable Object class of its own; pass --namespace <worker>-<Class>.`);
  }
  return `${config.name}-${declared}`;
}
