/**
 * The flag `--durable-objects-code-update-mode immediate | deferred <duration>`, spelled, read and
 * resolved as wrangler does: `deferred 30s` is two words on the command line, the flag wins over
 * the config's `durable_objects.code_update_strategy`, and with neither the platform's default
 * applies (the API body then carries no strategy).
 */
import type { Command } from "commander";
import { parseCodeUpdateMode, parseDurationSeconds, pickCodeUpdate, type CodeUpdateStrategy } from "../model/code-update-strategy.js";
import type { CodeUpdateRequest } from "../model/code-update.js";
import { findWranglerConfig, resolveWranglerConfig } from "../build/find-config.js";
import { codeUpdateFromWranglerConfig } from "../node/code-update-config.js";
import { InputError } from "./exit-codes.js";

/** The flag, as wrangler names it. */
export const CODE_UPDATE_FLAG = "--durable-objects-code-update-mode";

/** The flags a command with the code-update option receives. */
export interface CodeUpdateFlags {
  /** `immediate`, or `deferred <duration>` (joined into one value by {@link normalizeCodeUpdateArgs}). */
  readonly durableObjectsCodeUpdateMode?: string;
  /** The wrangler config whose `durable_objects.code_update_strategy` applies when the flag is absent. */
  readonly config?: string;
  /** The config's environment (`-e/--env`). */
  readonly env?: string;
}

/**
 * Joins `--durable-objects-code-update-mode deferred 30s` (or `=deferred 30s`) into one value, as
 * wrangler does before parsing, so the duration is not taken for a positional argument.
 */
export function normalizeCodeUpdateArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      out.push(...argv.slice(index));
      break;
    }
    const separate = arg === CODE_UPDATE_FLAG;
    const mode = separate ? argv[index + 1] : arg.startsWith(`${CODE_UPDATE_FLAG}=`) ? arg.slice(CODE_UPDATE_FLAG.length + 1) : undefined;
    const durationAt = index + (separate ? 2 : 1);
    const duration = argv[durationAt];
    if (mode === "deferred" && duration !== undefined && (!duration.startsWith("-") || Number.isFinite(parseDurationSeconds(duration)))) {
      out.push(`${CODE_UPDATE_FLAG}=deferred ${duration}`);
      index = durationAt;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Adds the flag to a command. */
export function codeUpdateOption(command: Command): Command {
  return command.option(
    `${CODE_UPDATE_FLAG} <mode>`,
    "How to update Durable Object code: immediate, or deferred followed by a maximum delay (for example, deferred 30s)",
  );
}

/**
 * The flag's strategy, else the config's (unless `readConfig` is false), else undefined (the
 * default); throws InputError with wrangler's wording.
 */
export async function resolveCodeUpdateFlags(flags: CodeUpdateFlags, readConfig = true): Promise<CodeUpdateRequest | undefined> {
  let flag: CodeUpdateRequest | undefined;
  if (flags.durableObjectsCodeUpdateMode !== undefined) {
    const parsed = parseCodeUpdateMode(flags.durableObjectsCodeUpdateMode);
    if (!parsed.ok) throw new InputError(parsed.error.code, parsed.error.message);
    flag = parsed.value;
  }
  if (flag !== undefined || !readConfig) return flag;
  // The config wrangler would use: -c/--config, else the one it finds here or above (none: the default).
  const configPath = flags.config !== undefined ? resolveWranglerConfig(flags.config) : findWranglerConfig();
  const config = await codeUpdateFromWranglerConfig(configPath, flags.env);
  if (!config.ok) throw new InputError(config.error.code, config.error.message);
  return pickCodeUpdate(flag, config.value);
}

/** A resolved request as the API body's `code_update_strategy` (`max_delay` in seconds). */
export function strategyBody(request: CodeUpdateRequest | undefined): { code_update_strategy?: CodeUpdateStrategy } {
  if (request?.mode === undefined) return {};
  return { code_update_strategy: { mode: request.mode, ...(request.maxDelayMs !== undefined && { max_delay: request.maxDelayMs / 1000 }) } };
}
