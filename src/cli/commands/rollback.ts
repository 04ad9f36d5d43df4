/**
 * `dosim rollback [version-id]`: a new 100% deployment of an earlier version (by default the
 * newest earlier one that ran alone at 100%, as the model picks it). On a terminal it asks for a
 * message and a confirmation; a target whose secrets differ (10220) needs a second confirmation,
 * or `--yes`. Elsewhere that refusal stands.
 */
import type { Command } from "commander";
import { AccountError, connect, type AccountClient } from "../account-client.js";
import { effectLines, trafficBlock } from "../account-output.js";
import { codeUpdateOption, resolveCodeUpdateFlags, strategyBody, type CodeUpdateFlags } from "../code-update-flag.js";
import { runVerb, subcommand, withConfigFlags, type StateFlags, type VerbIo } from "../verb.js";
import { printCurrentDeployment, type DeployAnswer } from "./versions-deploy.js";

/** The flags of `rollback`. */
export interface RollbackFlags extends StateFlags, CodeUpdateFlags {
  readonly message?: string;
  readonly yes?: boolean;
  /** Accept a target whose secrets differ (10220) without asking. */
  readonly force?: boolean;
}

const DEFAULT_MESSAGE = "Rollback";

/** Rolls back and prints the result; returns undefined when the user said no. */
export async function rollback(client: AccountClient, versionId: string | undefined, flags: RollbackFlags, io: VerbIo): Promise<DeployAnswer | undefined> {
  const codeUpdate = strategyBody(await resolveCodeUpdateFlags(flags));
  const { versions } = await printCurrentDeployment(client, io);
  const ask = io.prompter !== undefined && flags.yes !== true ? io.prompter : undefined;
  let force = flags.yes === true || flags.force === true;
  const message = ask !== undefined ? await ask.text("Please provide an optional message for this rollback", flags.message ?? DEFAULT_MESSAGE) : (flags.message ?? DEFAULT_MESSAGE);
  const body = {
    strategy: "percentage",
    versions: versionId === undefined ? [] : [{ version_id: versionId, percentage: 100 }],
    annotations: { "workers/triggered_by": "rollback", "workers/message": message },
    ...codeUpdate,
  };
  const post = (dryRun: boolean): Promise<DeployAnswer> =>
    client.call<DeployAnswer>("POST", "/deployments", { body, query: { ...(force && { force: "true" }), ...(dryRun && { dry_run: "true" }) } });
  let preview: DeployAnswer;
  try {
    preview = await post(true);
  } catch (error) {
    if (!(error instanceof AccountError) || error.code !== "10220" || ask === undefined) throw error;
    const secrets = ((error.details as { secrets?: string[] } | undefined)?.secrets ?? []).map((name) => `  * ${name}`).join("\n");
    io.out(`The following secrets differ between the target version and the current one:\n${secrets}`);
    if (!(await ask.confirm("Roll back anyway, with the target version's secrets?", false))) {
      io.out("Aborting rollback...");
      return undefined;
    }
    force = true;
    preview = await post(true);
  }
  const target = preview.versions[0]!.version_id;
  io.out(`You are about to roll back to Worker Version ${target}.`);
  io.out("It replaces the current deployment at once. Storage (Durable Objects, KV, ...) is not rolled back.");
  io.out(`${trafficBlock(versions.find((version) => version.id === target), target, 100)}\n`);
  if (ask !== undefined && !(await ask.confirm("Are you sure you want to deploy this Worker Version to 100% of traffic?", true))) {
    io.out("Aborting rollback...");
    return undefined;
  }
  const answer = await post(false);
  io.out(`SUCCESS Worker Version ${target} has been deployed to 100% of traffic.`);
  io.out(`Current Version ID: ${target}`);
  io.out(effectLines(answer.effect));
  return answer;
}

/** Registers `rollback`. */
export function registerRollback(program: Command): void {
  const command = subcommand(program, [], "rollback [version-id]")
    .description("Roll back to an earlier version at 100% (by default the last one deployed alone)")
    .option("-m, --message <message>", "the reason for this rollback", undefined)
    .option("-y, --yes", "do not prompt; also accept a target whose secrets differ (10220)")
    .option("--force", "accept a target whose secrets differ (10220)");
  codeUpdateOption(withConfigFlags(command)).action((versionId: string | undefined, flags: RollbackFlags) => runVerb(async (io) => void (await rollback(await connect(flags.persistTo), versionId, flags, io))));
}
