/**
 * `dosim secret put KEY` (value on stdin, or a hidden prompt on a terminal): a new version with
 * the secret, deployed at 100% at once. Refused (10215) while the newest version is not the one
 * serving all traffic.
 */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";
import { readSecretValue } from "./secret-value.js";

/** Sets and deploys a secret. */
export async function secretPut(client: AccountClient, name: string, value: string, io: VerbIo): Promise<ApiVersion> {
  io.out(`🌀 Creating the secret for the Worker "${client.workerName}"`);
  const version = await client.call<ApiVersion>("PUT", "/secrets", { body: { name, text: value, type: "secret_text" } });
  io.out(`✨ Success! Uploaded secret ${name}`);
  return version;
}

/** Registers `secret put`. */
export function registerSecretPut(program: Command): void {
  subcommand(program, ["secret"], "put <key>")
    .description("Create or update a secret variable for a Worker (a new version, deployed at 100%)")
    .action((name: string, flags: StateFlags) =>
      runVerb(async (io) => {
        const client = await connectFor(flags);
        await secretPut(client, name, await readSecretValue(io), io);
      }),
    );
}
