/** `dosim versions view <version-id>`: one version's details, its secrets' names and its vars. */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { labelled, versionBlock } from "../account-output.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";

/** Prints one version. */
export async function versionsView(client: AccountClient, versionId: string, flags: { json?: boolean }, io: VerbIo): Promise<ApiVersion> {
  const version = await client.call<ApiVersion>("GET", `/versions/${encodeURIComponent(versionId)}`);
  if (flags.json === true) {
    io.out(JSON.stringify(version, null, 2));
    return version;
  }
  io.out(versionBlock(version));
  io.out(`\n${labelled({ Number: String(version.number), Handlers: version.resources.script.handlers.join(", ") })}`);
  const secrets = version.resources.bindings.filter((binding) => binding.type === "secret_text");
  if (secrets.length > 0) io.out(`Secrets:\n${secrets.map((secret) => labelled({ "Secret Name": secret.name })).join("\n")}`);
  const vars = version.resources.bindings.filter((binding) => binding.type === "plain_text");
  if (vars.length > 0) io.out(`Your Worker has access to the following bindings:\n${vars.map((binding) => `env.${binding.name} (${JSON.stringify(binding.text)})  Environment Variable`).join("\n")}`);
  return version;
}

/** Registers `versions view`. */
export function registerVersionsView(program: Command): void {
  subcommand(program, ["versions"], "view <version-id>")
    .description("View the details of one version of the Worker")
    .option("--json", "print the version as JSON")
    .action((versionId: string, flags: StateFlags & { json?: boolean }) =>
      runVerb(async (io) => void (await versionsView(await connectFor(flags), versionId, flags, io))),
    );
}
