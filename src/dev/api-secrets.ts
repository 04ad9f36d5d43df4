/**
 * The account API's secret routes, shaped as Cloudflare's (and as wrangler calls them):
 *
 *   PUT    /secrets                 `secret put`: { name, text, type: "secret_text" }
 *   DELETE /secrets/<name>          `secret delete`
 *   GET    /secrets                 `secret list`: [{ name, type }] of the deployed version
 *   PATCH  /secrets-bulk            `secret bulk`: { secrets: { NAME: { name, text, type } | null } }
 *   PATCH  /versions/latest         `versions secret put/delete/bulk`: { env: { NAME: { type, text } | null },
 *                                   annotations: { "workers/message", "workers/tag" } } (a merge patch)
 *
 * The first four deploy the new version at once (refused with 10215 while the newest version is
 * not the deployed one); the last only creates it. No answer ever carries a secret's value.
 */
import { fail, ok, type Result } from "../model/errors.js";
import type { SecretChange } from "../model/secrets.js";
import { activeDeployment } from "../model/types.js";
import type { AccountContext } from "./account-api.js";
import { apiVersion, type ApiVersion } from "./api-shapes.js";

/** How a secret change is asked for, once its body is read. */
interface SecretAsk {
  readonly change: SecretChange;
  readonly deploy: boolean;
  readonly message?: string;
  readonly tag?: string;
  readonly summary: string;
}

const record = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A merge patch `{ NAME: { text } | null }` as a change; `where` names the field for errors. */
function readPatch(patch: unknown, where: string): Result<SecretChange> {
  if (!record(patch)) return fail("invalid-input", `${where} must map secret names to { type: "secret_text", text } or null.`);
  const set: Record<string, string> = {};
  const deleted: string[] = [];
  for (const [name, entry] of Object.entries(patch)) {
    if (entry === null) deleted.push(name);
    else if (record(entry) && typeof entry["text"] === "string") set[name] = entry["text"];
    else return fail("invalid-input", `${where}.${name} must be { type: "secret_text", text } or null.`);
  }
  return ok({ set, delete: deleted });
}

function optionalText(value: unknown, field: string): Result<string | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  return typeof value === "string" ? ok(value) : fail("invalid-input", `${field} must be a string.`);
}

/** Reads the body of one of the secret routes; undefined when the route is not one of them. */
function readSecretAsk(route: string, body: unknown): Result<SecretAsk> | undefined {
  const value = record(body) ? body : {};
  if (route === "PUT /secrets") {
    if (typeof value["name"] !== "string" || typeof value["text"] !== "string") return fail("invalid-input", 'Give the secret as { name, text, type: "secret_text" }.');
    return ok({ change: { set: { [value["name"]]: value["text"] }, delete: [] }, deploy: true, summary: `secret put ${value["name"]}` });
  }
  if (route.startsWith("DELETE /secrets/")) {
    const name = route.slice("DELETE /secrets/".length);
    return ok({ change: { set: {}, delete: [name] }, deploy: true, summary: `secret delete ${name}` });
  }
  if (route === "PATCH /secrets-bulk") {
    const change = readPatch(value["secrets"], "secrets");
    return change.ok ? ok({ change: change.value, deploy: true, summary: "secret bulk" }) : change;
  }
  if (route === "PATCH /versions/latest") {
    const change = readPatch(value["env"], "env");
    if (!change.ok) return change;
    const annotations = record(value["annotations"]) ? value["annotations"] : {};
    const message = optionalText(annotations["workers/message"], "annotations.workers/message");
    if (!message.ok) return message;
    const tag = optionalText(annotations["workers/tag"], "annotations.workers/tag");
    if (!tag.ok) return tag;
    return ok({
      change: change.value,
      deploy: false,
      ...(message.value !== undefined && { message: message.value }),
      ...(tag.value !== undefined && { tag: tag.value }),
      summary: "versions secret change",
    });
  }
  return undefined;
}

/** The secrets of the version that serves all traffic (names and types only), as `GET /secrets` lists them. */
async function listSecrets(ctx: AccountContext): Promise<Result<readonly { name: string; type: "secret_text" }[]>> {
  const worker = (await ctx.read(() => ctx.sim.snapshot())).worker;
  const serving = activeDeployment(worker)?.entries.find((entry) => entry.percentage > 0);
  const version = worker.versions.find((candidate) => candidate.id === serving?.versionId);
  return ok(Object.keys(version?.secrets ?? {}).map((name) => ({ name, type: "secret_text" as const })));
}

/**
 * Answers a secret route (`name` is the path's name, decoded), or undefined when `route` is not
 * one. A deletion of a secret the deployed version lacks is refused, as the platform's 404 is.
 */
export async function handleSecretRoute(ctx: AccountContext, route: string, body: unknown): Promise<Result<unknown> | undefined> {
  if (route === "GET /secrets") return listSecrets(ctx);
  const ask = readSecretAsk(route, body);
  if (ask === undefined || !ask.ok) return ask;
  const { change, deploy, summary } = ask.value;
  if (route.startsWith("DELETE /secrets/")) {
    const listed = await listSecrets(ctx);
    if (listed.ok && !listed.value.some((secret) => secret.name === change.delete[0])) {
      return fail("unknown-secret", `The Worker "${ctx.workerName}" has no secret named ${change.delete[0]}; list them with \`dosim secret list\`.`, { name: change.delete[0] });
    }
  }
  const options = { deploy, ...(ask.value.message !== undefined && { message: ask.value.message }), ...(ask.value.tag !== undefined && { tag: ask.value.tag }) };
  const result = await ctx.change(true, async (): Promise<Result<ApiVersion>> => {
    const created = await ctx.sim.changeSecrets(change, options);
    return created.ok ? ok(apiVersion(created.value)) : created;
  });
  if (result.ok) await ctx.changed(`${summary}: version ${result.value.id}`);
  return result;
}

/** The `secrets` of an upload or full deploy body (`--secrets-file`): names to values, added over the inherited ones. */
export function readUploadSecrets(body: unknown): Result<Record<string, string> | undefined> {
  const secrets = record(body) ? body["secrets"] : undefined;
  if (secrets === undefined || secrets === null) return ok(undefined);
  if (!record(secrets) || Object.values(secrets).some((value) => typeof value !== "string")) return fail("invalid-input", "secrets must map secret names to strings.");
  return ok(secrets as Record<string, string>);
}
