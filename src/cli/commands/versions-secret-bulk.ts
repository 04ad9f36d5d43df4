/** `dosim versions secret bulk [file]`: several secrets (JSON or .env, or stdin) on one new version, not deployed. */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { AccountError, type AccountClient } from "../account-client.js";
import { readBulkSecrets, valuesOnly, type SecretEntries } from "../secrets-file.js";
import { patchLatestVersion, type VersionSecretFlags } from "../versions-secret-patch.js";
import { connectFor, runVerb, subcommand, type VerbIo } from "../verb.js";

/** Creates the version (nulls are ignored here, as wrangler ignores them) and says how to deploy it. */
export async function versionsSecretBulk(client: AccountClient, entries: SecretEntries | undefined, flags: Omit<VersionSecretFlags, "persistTo">, io: VerbIo): Promise<ApiVersion> {
  io.out(`🌀 Creating the secrets for the Worker "${client.workerName}"`);
  if (entries === undefined) throw new AccountError("invalid-input", "No content found in file or piped input.");
  const secrets = valuesOnly(entries);
  const count = Object.keys(secrets).length;
  const version = await patchLatestVersion(client, secrets, flags.message ?? `Bulk updated ${count} secrets`, flags.tag);
  for (const name of Object.keys(secrets)) io.out(`✨ Successfully created secret for key: ${name}`);
  io.out(`✨ Success! Created version ${version.id} with ${count} secrets.`);
  io.out(`➡️  To deploy this version to production traffic use the command "dosim versions deploy".`);
  return version;
}

/** Registers `versions secret bulk`. */
export function registerVersionsSecretBulk(program: Command): void {
  subcommand(program, ["versions", "secret"], "bulk [file]")
    .description('Create or update several secrets on a new version that is not deployed: JSON {"key": value, ...} or .env KEY=VALUE, from the file or stdin')
    .option("--message <message>", "Description of this deployment")
    .option("--tag <tag>", "A tag for this version (default: the newest version's)")
    .action((file: string | undefined, flags: VersionSecretFlags) =>
      runVerb(async (io) => {
        const client = await connectFor(flags);
        await versionsSecretBulk(client, await readBulkSecrets(file), flags, io);
      }),
    );
}
