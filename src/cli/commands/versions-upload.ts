/**
 * `dosim versions upload`: bundles the Worker's code as it is on disk now and uploads it as a new
 * version of the Worker served by `dosim dev`, without deploying it.
 */
import type { Command } from "commander";
import type { ApiVersion } from "../../dev/api-shapes.js";
import { type AccountClient } from "../account-client.js";
import { resolveWranglerConfig } from "../../build/find-config.js";
import { readSecretsFile, valuesOnly } from "../secrets-file.js";
import { connectFor, collect, elapsed, parseVars, runVerb, subcommand, withConfigFlags, type ConfigFlags, type StateFlags, type VerbIo } from "../verb.js";

/** The flags of `versions upload` (and of `deploy`). */
export interface UploadFlags extends StateFlags, ConfigFlags {
  readonly tag?: string;
  readonly message?: string;
  readonly var?: string[];
  /** wrangler's `--secrets-file`: JSON or .env secrets added to the version (the others are inherited). */
  readonly secretsFile?: string;
}

/** The upload body: the config's absolute path, annotations, extra vars. */
export function uploadBody(flags: UploadFlags): Record<string, unknown> {
  const vars = parseVars(flags.var);
  return {
    config: resolveWranglerConfig(flags.config),
    ...(flags.env !== undefined && { env: flags.env }),
    ...(flags.tag !== undefined && { tag: flags.tag }),
    ...(flags.message !== undefined && { message: flags.message }),
    ...(vars !== undefined && { vars }),
    ...(flags.secretsFile !== undefined && { secrets: valuesOnly(readSecretsFile(flags.secretsFile)) }),
  };
}

/** The help of `--secrets-file`, shared with `deploy`. */
export const SECRETS_FILE_HELP = "Path to a file containing secrets to upload with the version (JSON or .env format). Applies additively with secrets from previous deployments - omitted secrets will not be deleted.";

/** Uploads a version and prints its id. */
export async function versionsUpload(client: AccountClient, flags: UploadFlags, io: VerbIo): Promise<ApiVersion> {
  const started = Date.now();
  const version = await client.call<ApiVersion>("POST", "/versions", { body: uploadBody(flags) });
  io.out(`Uploaded ${client.workerName} (${elapsed(started)})`);
  io.out(`Worker Version ID: ${version.id}`);
  return version;
}

/** Registers `versions upload`. */
export function registerVersionsUpload(program: Command): void {
  withConfigFlags(subcommand(program, ["versions"], "upload").description("Upload the Worker's current code and config as a new version, without deploying it"))
    .option("--tag <tag>", "a tag for this version (workers/tag)")
    .option("--message <message>", "a description of this version (workers/message)")
    .option("--var <KEY:VALUE>", "a var for this version, over the config's (repeatable)", collect)
    .option("--secrets-file <path>", SECRETS_FILE_HELP)
    .action((flags: UploadFlags) => runVerb(async (io) => void (await versionsUpload(await connectFor(flags), flags, io))));
}
