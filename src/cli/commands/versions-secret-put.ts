/** `dosim versions secret put KEY` (value on stdin, or a hidden prompt on a terminal): a new version with the secret, not deployed. */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { patchLatestVersion, type VersionSecretFlags } from "../versions-secret-patch.js";
import { connectFor, runVerb, subcommand, type VerbIo } from "../verb.js";
import { readSecretValue } from "./secret-value.js";

/** Creates the version and says how to deploy it. */
export async function versionsSecretPut(client: AccountClient, name: string, value: string, flags: Omit<VersionSecretFlags, "persistTo">, io: VerbIo): Promise<ApiVersion> {
  io.out(`🌀 Creating the secret for the Worker "${client.workerName}"`);
  const version = await patchLatestVersion(client, { [name]: value }, flags.message ?? `Updated secret "${name}"`, flags.tag);
  io.out(`✨ Success! Created version ${version.id} with secret ${name}.`);
  io.out(`➡️  To deploy this version with secret ${name} to production traffic use the command "dosim versions deploy".`);
  return version;
}

/** Registers `versions secret put`. */
export function registerVersionsSecretPut(program: Command): void {
  subcommand(program, ["versions", "secret"], "put <key>")
    .description("Create or update a secret variable for a Worker, on a new version that is not deployed")
    .option("--message <message>", "Description of this deployment")
    .option("--tag <tag>", "A tag for this version (default: the newest version's)")
    .action((name: string, flags: VersionSecretFlags) =>
      runVerb(async (io) => {
        const client = await connectFor(flags);
        await versionsSecretPut(client, name, await readSecretValue(io), flags, io);
      }),
    );
}
