/**
 * The account API the verbs call, served by `dosim dev` under `/cdn-cgi/dosim/` (a path the
 * platform never lets reach a Worker) and only with the server's token. Paths follow Cloudflare's
 * API below `/cdn-cgi/dosim/client/v4/accounts/local/workers/scripts/<worker>`:
 *
 *   GET  /versions[?deployable=true]      versions, newest first
 *   GET  /versions/<id>                   one version
 *   POST /versions                        `versions upload` (the server bundles the config's code)
 *   …    /secrets, /secrets-bulk, PATCH /versions/latest   secret changes (./api-secrets.ts)
 *   GET  /deployments                     the latest deployments, newest first
 *   POST /deployments[?force][&dry_run]   `versions deploy`, or `rollback` when annotated so
 *   PUT  (the script itself)              `deploy`: the current code at 100%
 *   GET  /objects                         the Durable Objects the ledger knows
 *
 * plus `GET /cdn-cgi/dosim/health`. Every refusal carries the model's error code.
 */
import { codeUpdateFromStrategy } from "../model/code-update-strategy.js";
import { deployableVersions } from "../model/deployable.js";
import { fail, ok, type DosimError, type Result } from "../model/errors.js";
import type { DeploymentEffect } from "../model/ledger.js";
import { resolveVersionRef } from "../model/deployment-spec.js";
import type { DeployAnswer, Simulator } from "../runtime/simulator.js";
import { STARTUP_FAILED_CODE } from "../runtime/startup-check.js";
import { handleSecretRoute, readUploadSecrets } from "./api-secrets.js";
import { bodyProblem, decodePathPart, DeploymentBody } from "./api-bodies.js";
import { apiDeployment, apiEffect, apiVersion, failure, success, type ApiDeployment, type ApiEnvelope } from "./api-shapes.js";
import { readUploadRequest, type UploadRequest } from "./upload-request.js";
import { previewDeployment, type DeploymentAsk } from "./preview.js";

/** What the API needs from the running server. */
export interface AccountContext {
  readonly sim: Simulator;
  readonly workerName: string;
  readonly url: string;
  readonly startedAt: string;
  /** Runs an account change in turn (exclusive of traffic when it restarts workerd), clock synced first. */
  change<T>(restarts: boolean | (() => boolean), task: () => Promise<T>, options?: { ticksMeanwhile?: boolean }): Promise<T>;
  /** Runs a read alongside traffic. */
  read<T>(task: () => Promise<T>): Promise<T>;
  /** Called after a change with what it reset, for the server's log. */
  changed(summary: string): Promise<void>;
}

/** One API call, parsed. */
export interface ApiCall {
  readonly method: string;
  /** The path below `/cdn-cgi/dosim`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** An answer: HTTP status and envelope. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: ApiEnvelope<unknown>;
}

const SCRIPTS = /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/([^/]+)(\/.*)?$/;

function answer(result: Result<unknown>): ApiAnswer {
  return result.ok ? { status: 200, body: success(result.value) } : refused(result.error);
}

/** A refusal: the model's error, or one of the server's own ("not-found", "unauthorized"). */
function refused(error: { code: DosimError["code"] | "not-found"; message: string; details?: DosimError["details"] }, status = 400): ApiAnswer {
  return { status, body: failure(error) };
}

/** Answers one API call. */
export async function handleAccountApi(call: ApiCall, ctx: AccountContext): Promise<ApiAnswer> {
  if (call.path === "/health" && call.method === "GET") {
    return answer(ok({ worker: ctx.workerName, url: ctx.url, pid: process.pid, started_at: ctx.startedAt }));
  }
  const match = SCRIPTS.exec(call.path);
  if (match === null) return refused({ code: "not-found", message: `No account API at ${call.method} ${call.path}.` }, 404);
  const script = decodePathPart(match[1]!);
  if (script === undefined) return refused({ code: "invalid-input", message: `The path ${call.path} holds a malformed %-escape; encode it with encodeURIComponent.` });
  if (script !== ctx.workerName) {
    return refused({ code: "invalid-input", message: `This dev server runs the Worker "${ctx.workerName}", not "${script}"; check the config's name.` }, 404);
  }
  const route = `${call.method} ${match[2] ?? "/"}`;
  if (route === "GET /versions") return answer(await listVersions(ctx, call.query.get("deployable") === "true"));
  if (route === "POST /versions") return upload(ctx, call.body);
  const secrets = await handleSecretRoute(ctx, route.startsWith("DELETE /secrets/") ? `DELETE /secrets/${decodePathPart(route.slice(16)) ?? ""}` : route, call.body);
  if (secrets !== undefined) return answer(secrets);
  if (route.startsWith("GET /versions/")) {
    const id = decodePathPart(route.slice("GET /versions/".length));
    if (id === undefined) return refused({ code: "invalid-input", message: `The path ${call.path} holds a malformed %-escape; encode it with encodeURIComponent.` });
    return answer(await viewVersion(ctx, id));
  }
  if (route === "GET /deployments") return answer(await listDeployments(ctx));
  if (route === "POST /deployments") return deploy(ctx, call.body, call.query);
  if (route === "PUT /") return fullDeploy(ctx, call.body);
  if (route === "GET /objects") return answer(await listObjects(ctx));
  return refused({ code: "not-found", message: `No account API at ${call.method} ${call.path}.` }, 404);
}

async function listVersions(ctx: AccountContext, deployableOnly: boolean): Promise<Result<unknown>> {
  const state = (await ctx.read(() => ctx.sim.snapshot())).worker;
  const versions = deployableOnly ? deployableVersions(state, ctx.sim.limits) : [...state.versions];
  return ok({ items: versions.reverse().map(apiVersion) });
}

async function viewVersion(ctx: AccountContext, id: string): Promise<Result<unknown>> {
  const state = (await ctx.read(() => ctx.sim.snapshot())).worker;
  const version = resolveVersionRef(state, id, []);
  return version.ok ? ok(apiVersion(version.value)) : version;
}

async function listDeployments(ctx: AccountContext): Promise<Result<unknown>> {
  const state = (await ctx.read(() => ctx.sim.snapshot())).worker;
  const latest = state.deployments.slice(-ctx.sim.limits.deploymentsListed).reverse();
  return ok({ deployments: latest.map(apiDeployment) });
}

async function listObjects(ctx: AccountContext): Promise<Result<unknown>> {
  const snapshot = await ctx.read(() => ctx.sim.snapshot());
  const objects = Object.values(snapshot.ledger.objects).map((record) => ({
    id: record.id,
    ...(record.name !== undefined && { name: record.name }),
    class: snapshot.classes[record.id] ?? "",
    assigned: record.assigned,
    running: record.running,
    live: record.live,
    ...(record.pending !== undefined && { pending: { to: record.pending.to, deadline: new Date(record.pending.deadlineMs).toISOString() } }),
  }));
  return ok({ objects, resets: snapshot.ledger.resets.length });
}

/** Names of the objects a deployment touched, and how many the ledger knows. */
async function effectOf(ctx: AccountContext, effect: DeploymentEffect): Promise<ReturnType<typeof apiEffect>> {
  const ids = [...new Set([...effect.moves.map((move) => move.objectId), ...effect.resets.map((reset) => reset.objectId)])];
  const journal = await ctx.sim.journal(Number.MAX_SAFE_INTEGER, ids);
  const names = Object.fromEntries(ids.map((id) => [id, journal.objects[id]?.name]));
  return apiEffect(effect, names, journal.objectCount);
}

/** A deployment just made, as the API shows it (the control plane answers with its id only). */
async function deploymentMade(ctx: AccountContext, deploymentId: string): Promise<ApiDeployment> {
  const deployment = (await ctx.sim.snapshot()).worker.deployments.find((candidate) => candidate.id === deploymentId);
  if (deployment === undefined) throw new Error(`internal error: deployment ${deploymentId} is not in the control plane's state`);
  return apiDeployment(deployment);
}

/** Reads a `POST /deployments` body (Cloudflare's shape; `version_id` may also be a tag). */
function readDeploymentAsk(body: unknown, query: URLSearchParams): Result<DeploymentAsk> {
  const problem = bodyProblem(DeploymentBody, body);
  if (problem !== undefined) return fail("invalid-input", problem);
  const value = (body ?? {}) as Record<string, unknown>;
  const versions = (value["versions"] ?? []) as { version_id?: unknown; percentage?: unknown }[];
  const annotations = (value["annotations"] ?? {}) as Record<string, unknown>;
  const message = annotations["workers/message"];
  const codeUpdate = codeUpdateFromStrategy(value["code_update_strategy"]);
  if (!codeUpdate.ok) return codeUpdate;
  return {
    ok: true,
    value: {
      items: versions.map((entry: { version_id?: unknown; percentage?: unknown }) => ({
        ref: String(entry.version_id ?? ""),
        ...(entry.percentage !== undefined && entry.percentage !== null && { percentage: Number(entry.percentage) }),
      })),
      ...(typeof message === "string" && { message }),
      ...(codeUpdate.value !== undefined && { codeUpdate: codeUpdate.value }),
      rollback: annotations["workers/triggered_by"] === "rollback",
      force: query.get("force") === "true",
    },
  };
}

async function deploy(ctx: AccountContext, body: unknown, query: URLSearchParams): Promise<ApiAnswer> {
  const ask = readDeploymentAsk(body, query);
  if (!ask.ok) return refused(ask.error);
  if (query.get("dry_run") === "true") {
    const snapshot = await ctx.read(() => ctx.sim.snapshot());
    const preview = previewDeployment(snapshot, ask.value, ctx.sim.limits);
    if (!preview.ok) return refused(preview.error);
    return answer(ok({ ...apiDeployment(preview.value.deployment), dry_run: true, effect: await effectOf(ctx, preview.value.effect) }));
  }
  const { items, message, codeUpdate, rollback } = ask.value;
  // A deployment first loads the versions uploaded since (into spare slots, else by a restart of
  // workerd), with traffic held and the clock standing still: on the platform it takes an instant.
  const result = await ctx.change(() => ctx.sim.hasUnloadedVersions, async () => {
    const done = rollback === true
      ? await rollbackTo(ctx, ask.value)
      : await ctx.sim.deploy(items, { ...(message !== undefined && { message }), ...(codeUpdate !== undefined && { codeUpdate }) });
    if (!done.ok) return done;
    return ok({ ...(await deploymentMade(ctx, done.value.deploymentId)), effect: await effectOf(ctx, done.value.effect) });
  });
  if (result.ok) await ctx.changed(`${rollback === true ? "rollback" : "versions deploy"}: ${result.value.versions.map((entry) => `${entry.version_id.slice(0, 8)}@${entry.percentage}%`).join(", ")}`);
  return answer(result);
}

/** Rolls back to the version the ask names (an id or a tag, resolved by the model), or to the model's default target. */
async function rollbackTo(ctx: AccountContext, ask: DeploymentAsk): Promise<Result<DeployAnswer>> {
  const { message, codeUpdate, force } = ask;
  const to = ask.items[0]?.ref;
  return ctx.sim.rollback({ ...(to !== undefined && { to }), ...(message !== undefined && { message }), ...(codeUpdate !== undefined && { codeUpdate }), ...(force === true && { force }) });
}

async function upload(ctx: AccountContext, body: unknown): Promise<ApiAnswer> {
  const request = readUploadRequest(body, ctx.workerName);
  if (!request.ok) return refused(request.error);
  const secrets = readUploadSecrets(body);
  if (!secrets.ok) return refused(secrets.error);
  const spec = { ...request.value, ...(secrets.value !== undefined && { secrets: secrets.value }) };
  // An upload changes nothing that runs: traffic goes on meanwhile.
  const result = await buildErrors(() =>
    ctx.change(
      false,
      async () => {
        const uploaded = await ctx.sim.upload(specOf(spec));
        return uploaded.ok ? ok(apiVersion(uploaded.value)) : uploaded;
      },
      // Its build takes seconds of wall time, during which objects keep getting requests.
      { ticksMeanwhile: true },
    ),
  );
  if (result.ok) await ctx.changed(`versions upload: version ${result.value.id} (#${result.value.number})`);
  return answer(result);
}

async function fullDeploy(ctx: AccountContext, body: unknown): Promise<ApiAnswer> {
  const request = readUploadRequest(body, ctx.workerName);
  if (!request.ok) return refused(request.error);
  const secrets = readUploadSecrets(body);
  if (!secrets.ok) return refused(secrets.error);
  const spec = { ...request.value, ...(secrets.value !== undefined && { secrets: secrets.value }) };
  const codeUpdate = codeUpdateFromStrategy(((body ?? {}) as Record<string, unknown>)["code_update_strategy"]);
  if (!codeUpdate.ok) return refused(codeUpdate.error);
  const options = { ...(spec.message !== undefined && { message: spec.message }), ...(codeUpdate.value !== undefined && { codeUpdate: codeUpdate.value }) };
  const result = await buildErrors(() =>
    ctx.change(true, async () => {
      const deployed = await ctx.sim.fullDeploy(specOf(spec), options);
      if (!deployed.ok) return deployed;
      const deployment = await deploymentMade(ctx, deployed.value.effect.deploymentId);
      return ok({ version: apiVersion(deployed.value.version), deployment, effect: await effectOf(ctx, deployed.value.effect) });
    }),
  );
  if (result.ok) await ctx.changed(`deploy: version ${result.value.version.id} (#${result.value.version.number}) at 100%`);
  return answer(result);
}

function specOf(request: UploadRequest & { secrets?: Readonly<Record<string, string>> }) {
  return {
    ...(request.secrets !== undefined && { secrets: request.secrets }),
    config: request.config,
    ...(request.env !== undefined && { env: request.env }),
    ...(request.tag !== undefined && { tag: request.tag }),
    ...(request.message !== undefined && { message: request.message }),
    ...(request.vars !== undefined && { vars: request.vars }),
  };
}

/** Turns a failed build of the user's code (wrangler's or esbuild's errors) or an unreadable config into a refusal instead of a crash. */
async function buildErrors<T>(task: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await task();
  } catch (error) {
    // The runtime's input errors (a build that failed, a config that cannot be used): one line each.
    if (error instanceof Error && error.name === "InputError") {
      const code = (error as Error & { code?: string }).code;
      // A Worker that throws at startup: the platform's own code, as wrangler shows it.
      if (code === STARTUP_FAILED_CODE) return fail(STARTUP_FAILED_CODE, error.message);
      return fail("invalid-input", code === "build-failed" ? `The Worker's code does not build: ${error.message}. Fix it and run the command again.` : error.message);
    }
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    if (!Array.isArray(errors)) throw error;
    const first = errors[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : "";
    return fail("invalid-input", `The Worker's code does not build: ${where}${first?.text ?? String(error)}. Fix it and run the command again.`);
  }
}
