/**
 * `dosim deploy`: a full deploy of the Worker's current code at 100% — its first deployment, and
 * the only way to apply a Durable Object migration. While a split is active it warns and asks
 * first, as wrangler does; outside a terminal it goes on, as wrangler's prompt does there.
 */
import type { Command } from "commander";
import type { ApiDeployment, ApiEffect, ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { effectLines, trafficBlock } from "../account-output.js";
import { confirmOrFallback } from "../prompt.js";
import { codeUpdateOption, resolveCodeUpdateFlags, strategyBody, type CodeUpdateFlags } from "../code-update-flag.js";
import { connectFor, collect, elapsed, runVerb, subcommand, withConfigFlags, type VerbIo } from "../verb.js";
import { SECRETS_FILE_HELP, uploadBody, type UploadFlags } from "./versions-upload.js";

/** What a full deploy answers. */
export interface FullDeployAnswer {
  readonly version: ApiVersion;
  readonly deployment: ApiDeployment;
  readonly effect: ApiEffect;
}

/** True unless a split is active and the user declines to replace it (wrangler's confirmLatestDeploymentOverwrite). */
async function confirmOverwrite(client: AccountClient, io: VerbIo): Promise<boolean> {
  const { deployments } = await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments");
  const latest = deployments[0];
  if (latest === undefined || latest.versions.length < 2) return true;
  io.out(`▲ [WARNING] Your last deployment has multiple versions. To progress that deployment use "dosim versions deploy" instead.\n`);
  const byId = new Map((await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items.map((version) => [version.id, version]));
  io.out(`Your last deployment has ${latest.versions.length} version(s):\n`);
  for (const entry of latest.versions) io.out(`${trafficBlock(byId.get(entry.version_id), entry.version_id, entry.percentage)}\n`);
  // On a terminal the default is no; with no one to ask, wrangler accepts (its default there is yes).
  const question = `"dosim deploy" will upload a new version and deploy it globally immediately.\nAre you sure you want to continue?`;
  return io.prompter !== undefined ? io.prompter.confirm(question, false) : confirmOrFallback(undefined, io, question, true);
}

/** Deploys the current code at 100% and prints the new version and what it did to objects; undefined when the user said no. */
export async function deploy(client: AccountClient, flags: UploadFlags & CodeUpdateFlags, io: VerbIo): Promise<FullDeployAnswer | undefined> {
  const codeUpdate = strategyBody(await resolveCodeUpdateFlags(flags));
  if (!(await confirmOverwrite(client, io))) {
    io.out("Aborting deploy...");
    return undefined;
  }
  const started = Date.now();
  const answer = await client.call<FullDeployAnswer>("PUT", "", { body: { ...uploadBody(flags), ...codeUpdate } });
  io.out(`Uploaded ${client.workerName} (${elapsed(started)})`);
  io.out(`Deployed ${client.workerName} (${elapsed(started)})`);
  io.out(`  ${client.url}`);
  io.out(`Current Version ID: ${answer.version.id}`);
  io.out(effectLines(answer.effect));
  return answer;
}

/** Registers `deploy`. */
export function registerDeploy(program: Command): void {
  const command = withConfigFlags(subcommand(program, [], "deploy").description("Deploy the Worker's current code at 100% (applies Durable Object migrations)"))
    .option("--tag <tag>", "a tag for the new version (workers/tag)")
    .option("--message <message>", "a description of the new version and deployment")
    .option("--var <KEY:VALUE>", "a var for the new version, over the config's (repeatable)", collect)
    .option("--secrets-file <path>", SECRETS_FILE_HELP);
  codeUpdateOption(command).action((flags: UploadFlags & CodeUpdateFlags) => runVerb(async (io) => void (await deploy(await connectFor(flags), flags, io))));
}
