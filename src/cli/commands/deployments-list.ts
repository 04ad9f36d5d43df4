/** `dosim deployments list`: the 10 most recent deployments, oldest first (`--json`: the API's objects). */
import type { Command } from "commander";
import type { ApiDeployment, ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { deploymentBlock } from "../account-output.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";

/** The deployments, oldest first, and every version by id. */
export async function fetchDeployments(client: AccountClient): Promise<{ deployments: ApiDeployment[]; versions: Map<string, ApiVersion> }> {
  const [{ deployments }, { items }] = await Promise.all([
    client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments"),
    client.call<{ items: ApiVersion[] }>("GET", "/versions"),
  ]);
  // The API lists the newest first; deployments made in the same millisecond tie on created_on, so
  // its order, not the timestamps, says which is active.
  return { deployments: [...deployments].reverse(), versions: new Map(items.map((version) => [version.id, version])) };
}

/** Prints the deployments. */
export async function deploymentsList(client: AccountClient, flags: { json?: boolean }, io: VerbIo): Promise<ApiDeployment[]> {
  const { deployments, versions } = await fetchDeployments(client);
  if (flags.json === true) io.out(JSON.stringify(deployments, null, 2));
  else io.out(deployments.map((deployment) => deploymentBlock(deployment, versions)).join("\n\n"));
  return deployments;
}

/** Registers `deployments list`. */
export function registerDeploymentsList(program: Command): void {
  subcommand(program, ["deployments"], "list")
    .description("List the 10 most recent deployments of the Worker")
    .option("--json", "print the deployments as JSON")
    .action((flags: StateFlags & { json?: boolean }) => runVerb(async (io) => void (await deploymentsList(await connectFor(flags), flags, io))));
}
