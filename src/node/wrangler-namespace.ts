/**
 * The Durable Object namespace key of a wrangler config, derived as Miniflare does by default:
 * `<worker name>-<class name>` for the first Durable Object class the Worker defines itself.
 * wrangler's own config reader is used (TOML and JSON alike); it is imported only when needed
 * because loading wrangler takes about a second.
 */
import { existsSync } from "node:fs";
import { InputError } from "../model/input-error.js";

interface DurableObjectBinding {
  readonly class_name: string;
  readonly script_name?: string;
}

/** Reads `configPath` and returns `<name>-<first DO class>`. */
export async function namespaceFromWranglerConfig(configPath: string): Promise<string> {
  if (!existsSync(configPath)) {
    throw new InputError("invalid-input", `No ${configPath} here; pass --namespace <worker>-<Class> or --config <path to wrangler config>.`);
  }
  const { unstable_readConfig } = await import("wrangler");
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
