/** `dosim deployments status`: the active deployment (`--json`: the API's object). */
import type { Command } from "commander";
import type { ApiDeployment } from "../../dev/api-shapes.js";
import { AccountError, type AccountClient } from "../account-client.js";
import { deploymentBlock } from "../account-output.js";
import { connectFor, runVerb, subcommand, type StateFlags, type VerbIo } from "../verb.js";
import { fetchDeployments } from "./deployments-list.js";

/** Prints the active deployment. */
export async function deploymentsStatus(client: AccountClient, flags: { json?: boolean }, io: VerbIo): Promise<ApiDeployment> {
  const { deployments, versions } = await fetchDeployments(client);
  const active = deployments[deployments.length - 1];
  if (active === undefined) throw new AccountError("not-deployed-yet", `The Worker ${client.workerName} has no deployments; deploy it with \`dosim deploy\`.`);
  io.out(flags.json === true ? JSON.stringify(active, null, 2) : deploymentBlock(active, versions));
  return active;
}

/** Registers `deployments status`. */
export function registerDeploymentsStatus(program: Command): void {
  subcommand(program, ["deployments"], "status")
    .description("Show the active deployment of the Worker")
    .option("--json", "print the deployment as JSON")
    .action((flags: StateFlags & { json?: boolean }) => runVerb(async (io) => void (await deploymentsStatus(await connectFor(flags), flags, io))));
}
