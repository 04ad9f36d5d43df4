/** `dosim versions secret list`: the secret names of each version in the current deployment (or only the newest version), as wrangler lists them. */
import type { Command } from "commander";
import type { ApiDeployment, ApiVersion } from "../../dev/api-shapes.js";
import { AccountError, type AccountClient } from "../account-client.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";

/** Prints `-- Version <id> (<pct>%) secrets --` and each secret's name; never a value. */
export async function versionsSecretList(client: AccountClient, flags: { latestVersion?: boolean }, io: VerbIo): Promise<void> {
  const [{ deployments }, { items }] = await Promise.all([
    client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments"),
    client.call<{ items: ApiVersion[] }>("GET", "/versions"),
  ]);
  const latest = deployments[0];
  const traffic = new Map((latest?.versions ?? []).map((entry) => [entry.version_id, entry.percentage]));
  let shown: ApiVersion[];
  if (flags.latestVersion === true) {
    if (items[0] === undefined) throw new AccountError("not-deployed-yet", "There are currently no uploaded versions of this Worker - please upload a version.");
    shown = [items[0]];
  } else {
    shown = (latest?.versions ?? []).flatMap((entry) => items.filter((version) => version.id === entry.version_id));
  }
  for (const version of shown) {
    io.out(`-- Version ${version.id} (${traffic.get(version.id) ?? 0}%) secrets --`);
    for (const binding of version.resources.bindings.filter((candidate) => candidate.type === "secret_text")) io.out(`Secret Name: ${binding.name}`);
    io.out("");
  }
}

/** Registers `versions secret list`. */
export function registerVersionsSecretList(program: Command): void {
  subcommand(program, ["versions", "secret"], "list")
    .description("List the secrets currently deployed (names only)")
    .option("--latest-version", "Only show the latest version")
    .action((flags: StateFlags & { latestVersion?: boolean }) => runVerb(async (io) => void (await versionsSecretList(await connectFor(flags), flags, io))));
}
