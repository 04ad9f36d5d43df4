/**
 * Finds a Worker's wrangler config the way wrangler does: `-c/--config` when given, otherwise
 * `wrangler.json`, then `wrangler.jsonc`, then `wrangler.toml`, each searched from the folder up to
 * the filesystem root before the next name is tried (wrangler's `findWranglerConfig`).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../model/input-error.js";

/** The file names wrangler looks for, in its order of precedence. */
export const WRANGLER_CONFIG_FILES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first config file name found from `folder` upwards, in wrangler's order; undefined when none. */
export function findWranglerConfig(folder: string = process.cwd()): string | undefined {
  for (const name of WRANGLER_CONFIG_FILES) {
    let dir = path.resolve(folder);
    for (;;) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/**
 * The absolute config path a command uses: `flag` (wrangler's `-c/--config`) when given and
 * present, else the one wrangler would find from the current folder. An input error otherwise.
 */
export function resolveWranglerConfig(flag: string | undefined, folder: string = process.cwd()): string {
  if (flag !== undefined) {
    const absolute = path.resolve(folder, flag);
    if (!existsSync(absolute)) throw new InputError("config-not-found", `${flag}: no such wrangler config; pass -c/--config with the path of your wrangler.json, wrangler.jsonc or wrangler.toml.`);
    return absolute;
  }
  const found = findWranglerConfig(folder);
  if (found === undefined) {
    throw new InputError("config-not-found", `No ${WRANGLER_CONFIG_FILES.join(", ")} in ${folder} or above; run dosim from your Worker's folder or pass -c/--config <path>.`);
  }
  return found;
}
