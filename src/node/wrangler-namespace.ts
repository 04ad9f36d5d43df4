/**
 * The Durable Object namespace key of a wrangler config, derived as Miniflare does by default:
 * `<worker name>-<class name>` for the first Durable Object class the Worker defines itself.
 * wrangler's own config reader derives it (TOML and JSON alike, environments included), so dosim
 * never parses a config in a way that could disagree with wrangler. Loading wrangler takes about
 * two seconds, so the answer is cached, keyed by the config file's path and bytes, the
 * CLOUDFLARE_ENV variable wrangler reads, and wrangler's version: `dosim plan` loads wrangler only
 * the first time it sees a config.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { InputError } from "../cli/exit-codes.js";
import { cacheDir, cacheKey, readCached, writeCached } from "./cache-dir.js";

interface DurableObjectBinding {
  readonly class_name: string;
  readonly script_name?: string;
}

/** What the cache holds for one config. */
interface CachedNamespace {
  readonly namespace: string;
}

/** Reads `configPath` and returns `<name>-<first DO class>`. */
export async function namespaceFromWranglerConfig(configPath: string): Promise<string> {
  if (!existsSync(configPath)) {
    throw new InputError("invalid-input", `No ${configPath} here; pass --namespace <worker>-<Class> or --config <path to wrangler config>.`);
  }
  const absolute = path.resolve(configPath);
  const dir = cacheDir("namespace");
  const key = cacheKey(["namespace/1", wranglerVersion(), absolute, readFileSync(absolute), process.env.CLOUDFLARE_ENV ?? ""]);
  const cached = readCached<CachedNamespace>(dir, key);
  if (typeof cached?.namespace === "string") return cached.namespace;
  const namespace = deriveNamespace(configPath);
  writeCached(dir, key, { namespace } satisfies CachedNamespace);
  return namespace;
}

/** Asks wrangler's own reader for the config, and derives the key from its answer. */
function deriveNamespace(configPath: string): string {
  // wrangler is CommonJS: `require` skips the scan of its 10 MB bundle for named exports that an
  // ESM import makes (cjs-module-lexer), about a third of the time wrangler takes to load.
  const { unstable_readConfig } = createRequire(import.meta.url)("wrangler") as typeof import("wrangler");
  // wrangler's published types do not resolve under NodeNext, so the fields we read are typed here.
  const config: { name?: string; durable_objects?: { bindings?: DurableObjectBinding[] } } = unstable_readConfig(
    { config: configPath },
    { hideWarnings: true },
  );
  const local = (config.durable_objects?.bindings ?? []).find((binding) => binding.script_name === undefined);
  if (config.name === undefined || local === undefined) {
    throw new InputError("invalid-input", `${configPath} names no Worker with a Durable Object class of its own; pass --namespace <worker>-<Class>.`);
  }
  return `${config.name}-${local.class_name}`;
}

/** The installed wrangler's version (read from its package.json, without loading wrangler). */
function wranglerVersion(): string {
  const manifest = createRequire(import.meta.url).resolve("wrangler/package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}
