/**
 * `dosim deploy`: a full deploy of the Worker's current code at 100% — its first deployment, and
 * the only way to apply a Durable Object migration.
 */
import type { Command } from "commander";
import type { ApiDeployment, ApiEffect, ApiVersion } from "../../dev/api-shapes.js";
import { connect, type AccountClient } from "../account-client.js";
import { effectLines } from "../account-output.js";
import { codeUpdateOption, resolveCodeUpdateFlags, strategyBody, type CodeUpdateFlags } from "../code-update-flag.js";
import { collect, elapsed, runVerb, subcommand, withConfigFlags, type VerbIo } from "../verb.js";
import { uploadBody, type UploadFlags } from "./versions-upload.js";

/** What a full deploy answers. */
export interface FullDeployAnswer {
  readonly version: ApiVersion;
  readonly deployment: ApiDeployment;
  readonly effect: ApiEffect;
}

/** Deploys the current code at 100% and prints the new version and what it did to objects. */
export async function deploy(client: AccountClient, flags: UploadFlags & CodeUpdateFlags, io: VerbIo): Promise<FullDeployAnswer> {
  const codeUpdate = strategyBody(await resolveCodeUpdateFlags(flags));
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
    .option("--var <KEY:VALUE>", "a var for the new version, over the config's (repeatable)", collect);
  codeUpdateOption(command).action((flags: UploadFlags & CodeUpdateFlags) => runVerb(async (io) => void (await deploy(await connect(flags.persistTo), flags, io))));
}
