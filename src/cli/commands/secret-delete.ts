/** `dosim secret delete KEY`: a new version without the secret, deployed at 100% (after a confirmation, as wrangler asks). */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { confirmOrFallback } from "../prompt.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";

/** Deletes the secret once confirmed; undefined when the user said no. */
export async function secretDelete(client: AccountClient, name: string, io: VerbIo): Promise<ApiVersion | undefined> {
  if (!(await confirmOrFallback(io.prompter, io, `Are you sure you want to permanently delete the secret ${name} on the Worker ${client.workerName}?`, true))) return undefined;
  io.out(`🌀 Deleting the secret ${name} on the Worker ${client.workerName}`);
  const version = await client.call<ApiVersion>("DELETE", `/secrets/${encodeURIComponent(name)}`);
  io.out(`✨ Success! Deleted secret ${name}`);
  return version;
}

/** Registers `secret delete`. */
export function registerSecretDelete(program: Command): void {
  subcommand(program, ["secret"], "delete <key>")
    .description("Delete a secret from a Worker (a new version, deployed at 100%)")
    .action((name: string, flags: StateFlags) => runVerb(async (io) => void (await secretDelete(await connectFor(flags), name, io))));
}
