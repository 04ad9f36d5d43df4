/**
 * The Durable Object namespace key of a wrangler config, derived as Miniflare does by default:
 * `<worker name>-<class name>` for the first Durable Object class the Worker defines itself.
 * The config is the one given, or the one wrangler finds (wrangler.json, .jsonc, .toml, here or
 * above). wrangler's own config reader is used; it is imported only when needed because loading
 * wrangler takes about a second.
 */
import { InputError } from "../cli/exit-codes.js";
import { resolveWranglerConfig } from "../build/find-config.js";

interface DurableObjectBinding {
  readonly class_name: string;
  readonly script_name?: string;
}

/** Reads the config (`configPath`, or the one wrangler finds; `env` as `-e/--env`) and returns `<name>-<first DO class>`. */
export async function namespaceFromWranglerConfig(configPath: string | undefined, env?: string): Promise<string> {
  const absolute = resolveWranglerConfig(configPath);
  const { unstable_readConfig } = await import("wrangler");
  let config: { name?: string; durable_objects?: { bindings?: DurableObjectBinding[] } };
  try {
    // wrangler's published types do not resolve under NodeNext, so the fields we read are typed here.
    config = unstable_readConfig({ config: absolute, ...(env !== undefined && { env }) }, { hideWarnings: true });
  } catch (error) {
    throw new InputError("invalid-config", `${absolute}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const local = (config.durable_objects?.bindings ?? []).find((binding) => binding.script_name === undefined);
  if (config.name === undefined || local === undefined) {
    throw new InputError("invalid-input", `${absolute} names no Worker with a Durable Object class of its own; pass --namespace <worker>-<Class>.`);
  }
  return `${config.name}-${local.class_name}`;
}
