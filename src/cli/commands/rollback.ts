/**
 * `dosim rollback [version-id]`: a new 100% deployment of an earlier version (by default the
 * newest earlier one that ran alone at 100%, as the model picks it), asked and worded as wrangler
 * asks it. When the target's secrets differ from the current ones (10220) it asks again; outside a
 * terminal it proceeds as if confirmed, as wrangler's confirmations do, and re-posts with force.
 */
import type { Command } from "commander";
import { checkVersionId } from "../../model/version-specs.js";
import { AccountError, type AccountClient } from "../account-client.js";
import { effectLines, trafficBlock } from "../account-output.js";
import { codeUpdateOption, resolveCodeUpdateFlags, strategyBody, type CodeUpdateFlags } from "../code-update-flag.js";
import { confirmOrFallback } from "../prompt.js";
import { connectFor, runVerb, subcommand, withConfigFlags, type StateFlags, type VerbIo } from "../verb.js";
import { printCurrentDeployment, type DeployAnswer } from "./versions-deploy.js";

/** The flags of `rollback`. */
export interface RollbackFlags extends StateFlags, CodeUpdateFlags {
  readonly message?: string;
  readonly yes?: boolean;
}

const DEFAULT_MESSAGE = "Rollback";
const SECRETS_CHANGED = "10220";

/** Rolls back and prints the result; returns undefined when the user said no. */
export async function rollback(client: AccountClient, versionId: string | undefined, flags: RollbackFlags, io: VerbIo): Promise<DeployAnswer | undefined> {
  if (versionId !== undefined) {
    const checked = checkVersionId(versionId);
    if (!checked.ok) throw new AccountError(checked.error.code, checked.error.message, checked.error.details);
  }
  const codeUpdate = strategyBody(await resolveCodeUpdateFlags(flags));
  const { versions } = await printCurrentDeployment(client, io);
  const ask = flags.yes === true ? undefined : io.prompter;
  const question = "Please provide an optional message for this rollback (120 characters max)";
  const message = ask !== undefined ? await ask.text(question, flags.message ?? DEFAULT_MESSAGE) : (flags.message ?? DEFAULT_MESSAGE);
  const body = (target: string | undefined) => ({
    strategy: "percentage",
    versions: target === undefined ? [] : [{ version_id: target, percentage: 100 }],
    annotations: { "workers/triggered_by": "rollback", "workers/message": message },
    ...codeUpdate,
  });
  const post = (target: string | undefined, query: Record<string, string>): Promise<DeployAnswer> => client.call<DeployAnswer>("POST", "/deployments", { body: body(target), query });
  // The target: the one given, else the one the model picks (found by a dry run, which changes nothing).
  const target = versionId ?? (await post(undefined, { dry_run: "true", force: "true" })).versions[0]!.version_id;
  io.out(
    `You are about to rollback to Worker Version ${target}.\nThis will immediately replace the current deployment and become the active deployment across all your deployed triggers.\nHowever, your local development environment will not be affected by this rollback.\nRolling back to a previous deployment will not rollback any of the bound resources (Durable Object, D1, R2, KV, etc).`,
  );
  io.out(`${trafficBlock(versions.find((version) => version.id === target), target, 100)}\n`);
  if (!(await confirmOrFallback(ask, io, "Are you sure you want to deploy this Worker Version to 100% of traffic?", true))) {
    io.out("Aborting rollback...");
    return undefined;
  }
  io.out("Performing rollback...");
  let answer: DeployAnswer;
  try {
    answer = await post(target, {});
  } catch (error) {
    if (!(error instanceof AccountError) || error.code !== SECRETS_CHANGED) throw error;
    const secrets = ((error.details as { secrets?: string[] } | undefined)?.secrets ?? []).map((name) => `  * ${name}`).join("\n");
    const confirmSecrets = `The following secrets have changed since version ${target} was deployed. Please confirm you wish to continue with the rollback\n${secrets}`;
    if (!(await confirmOrFallback(ask, io, confirmSecrets, true))) {
      io.out("Aborting rollback...");
      return undefined;
    }
    answer = await post(target, { force: "true" });
  }
  io.out(`SUCCESS Worker Version ${target} has been deployed to 100% of traffic.`);
  io.out(`\nCurrent Version ID: ${target}`);
  io.out(effectLines(answer.effect));
  return answer;
}

/** Registers `rollback`. */
export function registerRollback(program: Command): void {
  const command = subcommand(program, [], "rollback [version-id]")
    .description("🔙 Rollback a deployment for a Worker (by default to the last version deployed alone at 100%)")
    .option("-m, --message <message>", "The reason for this rollback", undefined)
    .option("-y, --yes", "Automatically accept defaults to prompts");
  codeUpdateOption(withConfigFlags(command)).action((versionId: string | undefined, flags: RollbackFlags) => runVerb(async (io) => void (await rollback(await connectFor(flags), versionId, flags, io))));
}
