/**
 * What the account verbs share: their place under a command group (`versions deploy`,
 * `deployments list`, `secret put`), the `--persist-to` flag that finds the dev server, where they
 * write and ask, and how a refusal ends them (its message and code on stderr, exit code 1).
 */
import { Command } from "commander";
import { AccountError, connect, type AccountClient } from "./account-client.js";
import { EXIT, InputError } from "./exit-codes.js";
import { canPrompt, readlinePrompter, type Prompter } from "./prompt.js";

/** Where a verb writes, and whether (and how) it may ask questions. */
export interface VerbIo {
  readonly out: (text: string) => void;
  /** Present when the verb may ask (a terminal, not CI). */
  readonly prompter?: Prompter;
}

/** The flags every account verb takes. */
export interface StateFlags {
  readonly persistTo?: string;
  /** wrangler's `--name`: the Worker; it must be the one the dev server runs. */
  readonly name?: string;
}

/** Connects to the dev server and checks that `--name`, when given, is the Worker it runs. */
export async function connectFor(flags: StateFlags): Promise<AccountClient> {
  const client = await connect(flags.persistTo);
  if (flags.name !== undefined && flags.name !== client.workerName) {
    throw new AccountError("invalid-input", `This dev server runs the Worker "${client.workerName}", not "${flags.name}"; start a dosim dev server for "${flags.name}", or drop --name.`);
  }
  return client;
}

const GROUPS: Record<string, string> = {
  versions: "List, view, upload and deploy versions of the Worker served by `dosim dev`",
  deployments: "List and view the deployments of the Worker served by `dosim dev`",
  secret: "Generate a secret that can be referenced in a Worker: each change is a new version, deployed at 100%",
  "versions secret": "Generate a secret that can be referenced in a Worker: each change is a new version, not deployed",
};

/** The command `path[0] path[1]…`, creating the groups on the way. */
export function subcommand(program: Command, path: readonly string[], nameAndArgs: string): Command {
  let parent = program;
  path.forEach((group, index) => {
    const description = GROUPS[path.slice(0, index + 1).join(" ")] ?? "";
    parent = parent.commands.find((command) => command.name() === group) ?? parent.command(group).description(description);
  });
  return parent
    .command(nameAndArgs)
    .option("--persist-to <dir>", "the state directory of the `dosim dev` server to talk to", ".dosim")
    .option("--name <name>", "Name of the Worker (it must be the one `dosim dev` runs)");
}

/** Runs a verb with the terminal's io; a refusal prints its message and code and exits with 1. */
export async function runVerb(task: (io: VerbIo) => Promise<void>): Promise<void> {
  const prompter = canPrompt() ? readlinePrompter() : undefined;
  const io: VerbIo = { out: (text) => process.stdout.write(`${text}\n`), ...(prompter !== undefined && { prompter }) };
  try {
    await task(io);
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    process.stderr.write(`✘ [ERROR] ${error.message} [${error.code}]\n`);
    process.exitCode = EXIT.failed;
  } finally {
    prompter?.close();
  }
}

/** Seconds since `startMs`, as wrangler prints timings. */
export function elapsed(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(2)} sec`;
}

/** The flags that say which wrangler config (and environment) a command reads, as wrangler spells them. */
export interface ConfigFlags {
  readonly config?: string;
  readonly env?: string;
}

/**
 * Adds wrangler's `-c/--config` and `-e/--env` to a command. Without `--config`, the config is
 * the one wrangler finds: wrangler.json, then wrangler.jsonc, then wrangler.toml, from here up.
 */
export function withConfigFlags(command: Command): Command {
  return command
    .option("-c, --config <path>", "the Worker's wrangler config (default: wrangler.json, wrangler.jsonc or wrangler.toml, here or above)")
    .option("-e, --env <name>", "the environment of the wrangler config to use");
}

/** Collects a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses `--var KEY:VALUE` flags. */
export function parseVars(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const vars: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(":");
    if (colon <= 0) throw new InputError("invalid-input", `--var ${value} is not KEY:VALUE; write it like --var GREETING:Hi.`);
    vars[value.slice(0, colon)] = value.slice(colon + 1);
  }
  return vars;
}
