/** `dosim versions list`: the most recent deployable versions (the model's `versionsListed`, 10), oldest first (`--json`: as the API gives them). */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { DEFAULT_LIMITS } from "../../model/limits.js";
import { type AccountClient } from "../account-client.js";
import { versionBlock } from "../account-output.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";

/** Prints the versions. */
export async function versionsList(client: AccountClient, flags: { json?: boolean }, io: VerbIo): Promise<ApiVersion[]> {
  const { items } = await client.call<{ items: ApiVersion[] }>("GET", "/versions", { query: { deployable: "true" } });
  const versions = [...items].sort((a, b) => a.number - b.number).slice(-DEFAULT_LIMITS.versionsListed);
  if (flags.json === true) io.out(JSON.stringify(versions, null, 2));
  else for (const version of versions) io.out(`${versionBlock(version)}\n`);
  return versions;
}

/** Registers `versions list`. */
export function registerVersionsList(program: Command): void {
  subcommand(program, ["versions"], "list")
    .description(`List the ${DEFAULT_LIMITS.versionsListed} most recent versions of the Worker`)
    .option("--json", "print the versions as JSON")
    .action((flags: StateFlags & { json?: boolean }) => runVerb(async (io) => void (await versionsList(await connectFor(flags), flags, io))));
}
