/**
 * `durable_objects.code_update_strategy` from a wrangler config, read with wrangler's own reader
 * (TOML and JSON alike), imported only when needed because loading wrangler takes about a second.
 */
import { existsSync } from "node:fs";
import { loadWrangler } from "../build/cjs-packages.js";
import { codeUpdateFromStrategy } from "../model/code-update-strategy.js";
import type { CodeUpdateRequest } from "../model/code-update.js";
import { fail, ok, type Result } from "../model/errors.js";

/** The config's strategy, or undefined when the file is absent or sets none; a refusal naming the file when it is malformed. */
export async function codeUpdateFromWranglerConfig(configPath: string | undefined, env?: string): Promise<Result<CodeUpdateRequest | undefined>> {
  if (configPath === undefined || !existsSync(configPath)) return ok(undefined);
  const { unstable_readConfig } = loadWrangler();
  // wrangler's published types do not resolve under NodeNext, so the field we read is typed here.
  const config: { durable_objects?: { code_update_strategy?: unknown } } = unstable_readConfig(
    { config: configPath, ...(env !== undefined && { env }) },
    { hideWarnings: true },
  );
  const read = codeUpdateFromStrategy(config.durable_objects?.code_update_strategy, "durable_objects.code_update_strategy");
  return read.ok ? read : fail(read.error.code, `${configPath}: ${read.error.message}`);
}
