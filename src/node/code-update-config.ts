/**
 * `durable_objects.code_update_strategy` from a wrangler config, read with wrangler's own reader
 * (TOML and JSON alike), imported only when needed because loading wrangler takes about a second,
 * and cached between runs (see config-read-cache.ts).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { loadWrangler } from "../build/cjs-packages.js";
import { codeUpdateFromStrategy } from "../model/code-update-strategy.js";
import type { CodeUpdateRequest } from "../model/code-update.js";
import { fail, ok, type Result } from "../model/errors.js";
import { cachedConfigRead } from "./config-read-cache.js";

/** The config's strategy, or undefined when the file is absent or sets none; a refusal naming the file when it is malformed. */
export async function codeUpdateFromWranglerConfig(configPath: string | undefined, env?: string): Promise<Result<CodeUpdateRequest | undefined>> {
  if (configPath === undefined || !existsSync(configPath)) return ok(undefined);
  // The raw field, or null when unset (the cache keeps JSON values only).
  const strategy = cachedConfigRead("code-update-strategy", 1, path.resolve(configPath), env, [], () => {
    // wrangler's published types do not resolve under NodeNext, so the field we read is typed here.
    const config: { durable_objects?: { code_update_strategy?: unknown } } = loadWrangler().unstable_readConfig(
      { config: configPath, ...(env !== undefined && { env }) },
      { hideWarnings: true },
    );
    return config.durable_objects?.code_update_strategy ?? null;
  });
  const read = codeUpdateFromStrategy(strategy ?? undefined, "durable_objects.code_update_strategy");
  return read.ok ? read : fail(read.error.code, `${configPath}: ${read.error.message}`);
}
