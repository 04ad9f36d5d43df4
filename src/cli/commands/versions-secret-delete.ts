/** `dosim versions secret delete KEY`: a new version without the secret, not deployed (after a confirmation, as wrangler asks). */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { confirmOrFallback } from "../prompt.js";
import { patchLatestVersion, type VersionSecretFlags } from "../versions-secret-patch.js";
import { connectFor, runVerb, subcommand, type VerbIo } from "../verb.js";

/** Creates the version once confirmed; undefined when the user said no. */
export async function versionsSecretDelete(client: AccountClient, name: string, flags: Omit<VersionSecretFlags, "persistTo">, io: VerbIo): Promise<ApiVersion | undefined> {
  if (!(await confirmOrFallback(io.prompter, io, `Are you sure you want to permanently delete the secret ${name} on the Worker ${client.workerName}?`, true))) return undefined;
  io.out(`🌀 Deleting the secret ${name} on the Worker ${client.workerName}`);
  const version = await patchLatestVersion(client, { [name]: null }, flags.message ?? `Deleted secret "${name}"`, flags.tag);
  io.out(`✨ Success! Created version ${version.id} with deleted secret ${name}.`);
  io.out(`➡️  To deploy this version without the secret ${name} to production traffic use the command "dosim versions deploy".`);
  return version;
}

/** Registers `versions secret delete`. */
export function registerVersionsSecretDelete(program: Command): void {
  subcommand(program, ["versions", "secret"], "delete <key>")
    .description("Delete a secret variable from a Worker, on a new version that is not deployed")
    .option("--message <message>", "Description of this deployment")
    .option("--tag <tag>", "A tag for this version (default: the newest version's)")
    .action((name: string, flags: VersionSecretFlags) => runVerb(async (io) => void (await versionsSecretDelete(await connectFor(flags), name, flags, io))));
}
