/** `dosim versions secret put NAME` (value on stdin): a new version with the secret, not deployed. */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";
import { readSecretValue } from "./secret-value.js";

/** Creates the version and says how to deploy it. */
export async function versionsSecretPut(client: AccountClient, name: string, value: string, flags: { message?: string }, io: VerbIo): Promise<ApiVersion> {
  io.out(`🌀 Creating the secret for the Worker "${client.workerName}"`);
  const version = await client.call<ApiVersion>("POST", "/versions/secrets", {
    body: { name, text: value, message: flags.message ?? `Updated secret "${name}"` },
  });
  io.out(`✨ Success! Created version ${version.id} with secret ${name}.`);
  io.out(`➡️  To deploy this version with secret ${name} to production traffic use the command "dosim versions deploy".`);
  return version;
}

/** Registers `versions secret put`. */
export function registerVersionsSecretPut(program: Command): void {
  subcommand(program, ["versions", "secret"], "put <name>")
    .description("Set a secret on a new version (value on stdin), without deploying it")
    .option("--message <message>", "a description of the new version")
    .action((name: string, flags: StateFlags & { message?: string }) =>
      runVerb(async (io) => {
        const client = await connectFor(flags);
        await versionsSecretPut(client, name, await readSecretValue(io), flags, io);
      }),
    );
}
