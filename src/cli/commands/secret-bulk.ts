/**
 * `dosim secret bulk [file]`: creates, updates and deletes (JSON null) several secrets in one new
 * version, deployed at 100%; the file is JSON or .env, or stdin when there is none.
 */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { AccountError, type AccountClient } from "../account-client.js";
import { readBulkSecrets, type SecretEntries } from "../secrets-file.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";

/** Sends the merge patch and prints what it did, in wrangler's words. */
export async function secretBulk(client: AccountClient, entries: SecretEntries | undefined, io: VerbIo): Promise<ApiVersion | undefined> {
  io.out(`🌀 Processing the secrets for the Worker "${client.workerName}"`);
  if (entries === undefined) throw new AccountError("invalid-input", "🚨 No content found in file, or piped input.");
  const secrets = Object.fromEntries(Object.entries(entries).map(([name, text]) => [name, text === null ? null : { name, text, type: "secret_text" }]));
  let version: ApiVersion;
  try {
    version = await client.call<ApiVersion>("PATCH", "/secrets-bulk", { body: { secrets } });
  } catch (error) {
    io.out("\n🚨 Secrets failed to upload");
    throw error;
  }
  const deleted = Object.keys(entries).filter((name) => entries[name] === null);
  const created = Object.keys(entries).filter((name) => entries[name] !== null);
  for (const name of deleted) io.out(`💥 Successfully deleted secret for key: ${name}`);
  for (const name of created) io.out(`✨ Successfully created secret for key: ${name}`);
  io.out("\nFinished processing secrets file:");
  if (deleted.length > 0) io.out(`💥 ${deleted.length} secrets successfully deleted`);
  if (created.length > 0) io.out(`✨ ${created.length} secrets successfully created`);
  if (deleted.length + created.length === 0) io.out("No secrets were created or deleted");
  return version;
}

/** Registers `secret bulk`. */
export function registerSecretBulk(program: Command): void {
  subcommand(program, ["secret"], "bulk [file]")
    .description('Create, update, or delete multiple secrets in one new version, deployed at 100%: JSON {"key": "value", ...} (null deletes) or .env KEY=VALUE, from the file or stdin')
    .action((file: string | undefined, flags: StateFlags) =>
      runVerb(async (io) => {
        const client = await connectFor(flags);
        await secretBulk(client, await readBulkSecrets(file), io);
      }),
    );
}
