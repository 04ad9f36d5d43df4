/**
 * `dosim versions deploy [<version-id>@<percentage>...]`: splits traffic between one or two
 * versions of the Worker served by `dosim dev`, and prints the Durable Objects that moved and
 * reset. Versions are named as wrangler names them: ids (positional or `--version-id` with
 * `--percentage`) and tags through `--version-tag`. With no versions given, on a terminal, it asks
 * which versions and what percentages (like wrangler); elsewhere that is refused. `--dry-run`
 * goes further than wrangler's: it shows what would move and reset.
 */
import type { Command } from "commander";
import type { ApiDeployment, ApiEffect, ApiVersion } from "../../dev/api-shapes.js";
import type { SpecItem } from "../../model/deployment-spec.js";
import { DEFAULT_LIMITS } from "../../model/limits.js";
import { distributeTraffic } from "../../model/version-traffic.js";
import { checkTraffic, distributePercentages, parseVersionSpecArgs } from "../../model/version-specs.js";
import { resolveVersionTags } from "../version-tags.js";
import { AccountError, type AccountClient } from "../account-client.js";
import { effectLines, trafficBlock, trafficSummary } from "../account-output.js";
import type { Prompter } from "../prompt.js";
import { codeUpdateOption, resolveCodeUpdateFlags, strategyBody, type CodeUpdateFlags } from "../code-update-flag.js";
import { connectFor, collect, elapsed, runVerb, subcommand, withConfigFlags, type StateFlags, type VerbIo } from "../verb.js";

/** The flags of `versions deploy`. */
export interface VersionsDeployFlags extends StateFlags, CodeUpdateFlags {
  readonly versionId?: string[];
  readonly percentage?: string[];
  readonly versionTag?: string[];
  readonly message?: string;
  readonly yes?: boolean;
  readonly dryRun?: boolean;
}

/** A deployment as the API answers it, with its effect on objects. */
export type DeployAnswer = ApiDeployment & { readonly effect: ApiEffect; readonly dry_run?: boolean };

/** The traffic the command line names (ids and tags resolved), or an empty list when it names none. */
async function trafficFromArgs(client: AccountClient, specs: readonly string[], flags: VersionsDeployFlags): Promise<SpecItem[]> {
  const parsed = parseVersionSpecArgs({
    specs,
    ...(flags.versionId !== undefined && { versionIds: flags.versionId }),
    ...(flags.percentage !== undefined && { percentages: flags.percentage }),
    ...(flags.versionTag !== undefined && { versionTags: flags.versionTag }),
  });
  if (!parsed.ok) throw new AccountError(parsed.error.code, parsed.error.message, parsed.error.details);
  const byId = new Map(parsed.value.byId);
  for (const [id, percentage] of await resolveVersionTags(client, parsed.value.byTag)) byId.set(id, percentage);
  return [...distributePercentages(byId)].map(([ref, percentage]) => ({ ref, percentage }));
}

/** Refuses too few or too many versions, or percentages that do not sum to 100, in wrangler's words. */
function checkItems(items: readonly SpecItem[]): void {
  const checked = checkTraffic(new Map(items.map((item) => [item.ref, item.percentage ?? 0])), DEFAULT_LIMITS.maxVersionsPerDeployment);
  if (!checked.ok) throw new AccountError(checked.error.code, checked.error.message, checked.error.details);
}

/** Prints the active deployment, as wrangler does before changing it. */
export async function printCurrentDeployment(client: AccountClient, io: VerbIo): Promise<{ current?: ApiDeployment; versions: ApiVersion[] }> {
  const [{ deployments }, { items }] = await Promise.all([
    client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments"),
    client.call<{ items: ApiVersion[] }>("GET", "/versions"),
  ]);
  const current = deployments[0];
  const byId = new Map(items.map((version) => [version.id, version]));
  io.out(`Your current deployment has ${current?.versions.length ?? 0} version(s):\n`);
  for (const entry of current?.versions ?? []) io.out(`${trafficBlock(byId.get(entry.version_id), entry.version_id, entry.percentage)}\n`);
  return { ...(current !== undefined && { current }), versions: items };
}

/** Asks which versions (numbers from the list, or ids/tags) and what percentages, until the model accepts them. */
async function promptTraffic(client: AccountClient, prompter: Prompter, io: VerbIo, body: (items: readonly SpecItem[]) => Record<string, unknown>): Promise<SpecItem[]> {
  const { items } = await client.call<{ items: ApiVersion[] }>("GET", "/versions", { query: { deployable: "true" } });
  const choices = [...items].sort((a, b) => b.number - a.number).slice(0, DEFAULT_LIMITS.versionsListed);
  io.out("Deployable versions (newest first):");
  choices.forEach((version, index) => {
    const tag = version.annotations["workers/tag"] ?? "-";
    const message = version.annotations["workers/message"] ?? "-";
    io.out(`  ${index + 1}) ${version.id}  #${version.number}  created ${version.metadata.created_on}  tag ${tag}  message ${message}`);
  });
  const answer = await prompter.text("Which version(s) do you want to deploy? Give 1 or 2 numbers or ids, separated by spaces", "1");
  const refs = answer.split(/[\s,]+/).filter((token) => token.length > 0).map((token) => (/^\d+$/.test(token) ? (choices[Number(token) - 1]?.id ?? token) : token));
  let chosen: SpecItem[] = refs.map((ref) => ({ ref }));
  for (;;) {
    const defaults = distributeTraffic(chosen.map((item) => ({ ref: item.ref })));
    const asked: SpecItem[] = [];
    for (const [index, item] of chosen.entries()) {
      const value = await prompter.text(`What percentage of traffic should Worker Version ${index + 1} (${item.ref}) receive? (0-100)`, String(item.percentage ?? defaults[index]!.percentage));
      asked.push({ ref: item.ref, percentage: Number(value.replace(/%$/, "")) });
    }
    chosen = asked;
    try {
      await client.call("POST", "/deployments", { body: body(chosen), query: { dry_run: "true" } });
      return chosen;
    } catch (error) {
      if (!(error instanceof AccountError) || !["percentage-sum", "invalid-percentage"].includes(error.code)) throw error;
      io.out(`✘ ${error.message} [${error.code}]`);
    }
  }
}

/** Deploys (or, with `--dry-run`, previews) the traffic split; prompts on a terminal when none is given. */
export async function versionsDeploy(client: AccountClient, specs: readonly string[], flags: VersionsDeployFlags, io: VerbIo): Promise<DeployAnswer> {
  const codeUpdate = strategyBody(await resolveCodeUpdateFlags(flags));
  await printCurrentDeployment(client, io);
  let items = await trafficFromArgs(client, specs, flags);
  let message = flags.message;
  const body = (chosen: readonly SpecItem[]): Record<string, unknown> => ({
    strategy: "percentage",
    versions: chosen.map((item) => ({ version_id: item.ref, percentage: item.percentage })),
    annotations: { ...(message !== undefined && { "workers/message": message }) },
    ...codeUpdate,
  });
  if (items.length === 0 && flags.yes !== true && io.prompter !== undefined) {
    items = await promptTraffic(client, io.prompter, io, body);
    message = (await io.prompter.text("Add a deployment message (optional)", message ?? "")) || undefined;
  }
  checkItems(items);
  const started = Date.now();
  const answer = await client.call<DeployAnswer>("POST", "/deployments", { body: body(items), ...(flags.dryRun === true && { query: { dry_run: "true" } }) });
  if (flags.dryRun === true) {
    io.out(`--dry-run: would deploy ${client.workerName} ${trafficSummary(answer.versions)}; nothing was changed.`);
    io.out(effectLines(answer.effect, { moved: "would move", reset: "would reset" }));
    return answer;
  }
  io.out(`SUCCESS Deployed ${client.workerName} ${trafficSummary(answer.versions)} (${elapsed(started)})`);
  io.out(effectLines(answer.effect));
  return answer;
}

/** Registers `versions deploy`. */
export function registerVersionsDeploy(program: Command): void {
  const command = subcommand(program, ["versions"], "deploy [version-specs...]")
    .description("Safely roll out new Versions of your Worker by splitting traffic between multiple Versions")
    .option("--version-id <id>", "Worker Version ID(s) to deploy (repeatable)", collect)
    .option("--percentage <n>", "Percentage of traffic to split between Worker Version(s) (0-100), paired with --version-id by position (repeatable)", collect)
    .option("--version-tag <tag[@n]>", "Worker Version tag(s) to deploy, resolved against the deployable versions; <version-tag>@<percentage> works too (repeatable)", collect)
    .option("--message <message>", "Description of this deployment (optional)")
    .option("-y, --yes", "Automatically accept defaults to prompts")
    .option("--dry-run", "Don't actually deploy: show which Durable Objects would move and reset (more than wrangler shows)");
  codeUpdateOption(withConfigFlags(command)).action((specs: string[], flags: VersionsDeployFlags) => runVerb(async (io) => void (await versionsDeploy(await connectFor(flags), specs, flags, io))));
}
