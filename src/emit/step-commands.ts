/**
 * What each scenario step becomes on a real account: the wrangler commands (with version ids kept
 * in shell variables), a curl and the checks that can be seen from outside for a request, and a
 * comment for what only dosim can observe (object assignment, resets, live instances). The script
 * and the runbook are both written from these.
 */
import path from "node:path";
import { HIBERNATE_AFTER_MS } from "../model/lifecycle.js";
import type { CodeUpdate } from "../model/types.js";
import type { RequestSpec, ResponsesExpectation, Scenario, ScenarioStep, ScenarioVersion, StateExpectation } from "../scenario/types.js";
import { objectNameOf } from "../scenario/object-refs.js";
import { fillBody, fillHeaders, fillPath } from "../runtime/workers/request-template.js";
import { quote, versionVar } from "./shell.js";

/** One step, as a person does it: a sentence, the shell lines, and what stays inside dosim. */
export interface EmittedStep {
  readonly title: string;
  readonly lines: readonly string[];
  /** Expectations only dosim can check, said in words. */
  readonly insideOnly: readonly string[];
}

/** What the emitter needs besides the scenario. */
export interface EmitContext {
  readonly scenario: Scenario;
  /** The Worker's name (the overrides header names it). */
  readonly workerName: string;
  /** The folder the script is written to: paths are given relative to it. */
  readonly outDir: string;
}

function codeUpdateFlag(codeUpdate: CodeUpdate): string {
  return codeUpdate.mode === "immediate" ? " --durable-objects-code-update-mode immediate" : ` --durable-objects-code-update-mode deferred ${Math.round(codeUpdate.maxDelayMs / 1000)}s`;
}

/** A path of the project, from the script's own folder (`$HERE`), so the script runs from anywhere. */
function fromHere(ctx: EmitContext, file: string): string {
  return `"$HERE"/${quote(path.relative(ctx.outDir, file).split(path.sep).join("/"))}`;
}

/** The config (and entry module, as wrangler's positional script) of a version. */
function configArgs(ctx: EmitContext, version: ScenarioVersion | undefined): string {
  const main = version?.main === undefined ? "" : ` ${fromHere(ctx, version.main)}`;
  return ` -c ${fromHere(ctx, version?.config ?? ctx.scenario.workerConfig)}${main}`;
}

function versionArgs(version: ScenarioVersion | undefined, label: string): string {
  const vars = Object.entries(version?.vars ?? {}).map(([key, value]) => ` --var ${quote(`${key}:${value}`)}`).join("");
  const message = version?.message === undefined ? "" : ` --message ${quote(version.message)}`;
  const secrets = Object.keys(version?.secrets ?? {}).length === 0 ? "" : ` --secrets-file "$(secrets_file_${versionVar(label).slice(2)})"`;
  return ` --tag ${quote(version?.tag ?? label)}${message}${vars}${secrets}`;
}

/** The state expectations that only dosim sees, in words. */
export function insideOnly(expect: StateExpectation | undefined): string[] {
  if (expect === undefined) return [];
  const said: string[] = [];
  if (expect.objects !== undefined) said.push(`objects assigned: ${Object.entries(expect.objects).map(([name, label]) => `${name} → ${label}`).join(", ")}`);
  if (expect.running !== undefined) said.push(`objects running: ${Object.entries(expect.running).map(([name, label]) => `${name} → ${label}`).join(", ")}`);
  if (expect.live !== undefined) said.push(`live instances: ${expect.live.join(", ") || "none"}`);
  if (expect.resets !== undefined) said.push(`resets: ${JSON.stringify(expect.resets)}`);
  return said;
}

/** The tag a label's uploads carry (see {@link versionArgs}). */
function tagOf(ctx: EmitContext, label: string): string {
  return ctx.scenario.versions.find((version) => version.label === label)?.tag ?? label;
}

/** A label given by a plain `secret put`, whose version inherits another's tag: checked by id. */
function untagged(ctx: EmitContext, label: string): boolean {
  return ctx.scenario.steps.some((step) => step.kind === "secret" && !step.versioned && step.label === label);
}

/** A deployment expectation can be read back with `deployments status --json`. */
function deploymentCheck(ctx: EmitContext, expect: StateExpectation | undefined): string[] {
  if (expect?.deployment === undefined) return [];
  const wanted = expect.deployment.map((entry) => `${entry.label}@${entry.percentage}`).join(",");
  const specs = expect.deployment.map((entry) => (untagged(ctx, entry.label) ? `"$${versionVar(entry.label)}@${entry.percentage}"` : quote(`${tagOf(ctx, entry.label)}@${entry.percentage}`))).join(" ");
  return [`check_deployment ${quote(wanted)} ${specs}`];
}

function requestLines(ctx: EmitContext, request: RequestSpec, count: number, expect: ResponsesExpectation | undefined): string[] {
  const name = request.object === undefined ? undefined : objectNameOf(request.object);
  const headers = fillHeaders(request.headers, name);
  if (request.override !== undefined) headers["Cloudflare-Workers-Version-Overrides"] = `${ctx.workerName}="__V_${request.override}__"`;
  if (request.versionKey !== undefined) headers["Cloudflare-Workers-Version-Key"] = request.versionKey;
  const headerArgs = Object.entries(headers)
    .map(([key, value]) => ` -H ${quote(`${key}: ${value}`)}`)
    .join("")
    .replace(/__V_([A-Za-z0-9._-]+)__/g, (_, label: string) => `'"$${versionVar(label)}"'`);
  const body = fillBody(request.body, name);
  const bodyArg = body === undefined ? "" : ` --data-binary ${quote(body)}`;
  const call = `request ${quote(request.method)} ${quote(fillPath(request.path, name))}${headerArgs}${bodyArg}`;
  const checks: string[] = [];
  if (expect?.status !== undefined) checks.push(`check_status ${expect.status}`);
  if (expect?.body !== undefined) checks.push(`check_body ${quote(expect.body)}`);
  if (expect?.json !== undefined) checks.push(`check_json ${quote(JSON.stringify(expect.json))}`);
  if (expect?.version !== undefined) checks.push(`check_version "$${versionVar(expect.version)}"`);
  const once = [call, ...checks];
  if (count === 1) return once;
  return [`i=0`, `while [ "$i" -lt ${count} ]; do`, ...once.map((line) => `  ${line}`), `  i=$((i + 1))`, `done`];
}

function responsesInsideOnly(expect: ResponsesExpectation | undefined): string[] {
  const said = insideOnly(expect);
  if (expect?.served !== undefined) said.push(`objects served by: ${Object.entries(expect.served).map(([name, label]) => `${name} → ${label}`).join(", ")}`);
  if (expect?.share !== undefined) said.push(`share per version: ${JSON.stringify(expect.share)}`);
  if (expect?.errors !== undefined) said.push(`invocation errors per version (trace events): ${JSON.stringify(expect.errors)}`);
  if (expect?.failures !== undefined) said.push(`failures: ${JSON.stringify(expect.failures)}`);
  return said;
}

/**
 * Refusals wrangler never shows: a rollback over changed secrets (10220) is confirmed by `--yes`
 * and re-sent with force, as wrangler does outside a terminal.
 */
const NOT_SEEN_THROUGH_WRANGLER = new Set(["10220"]);

/** Refusals that come from migrations a scenario adds on top of the config: not in the user's config yet. */
const NEEDS_CONFIG_MIGRATIONS = new Set(["10211", "version-before-migration"]);

/** An operation that may be expected to be refused: run it and check it failed. */
function maybeRefused(lines: string[], refused: string | undefined): string[] {
  if (refused === undefined) return lines;
  if (NOT_SEEN_THROUGH_WRANGLER.has(refused)) return [`# The platform refuses this step (${refused}); wrangler asks to confirm and, with --yes, goes on with force, so it is not run here.`];
  if (NEEDS_CONFIG_MIGRATIONS.has(refused)) return [`# The platform refuses this step (${refused}) once the scenario's migrations are in your config; add them to see it.`];
  const command = lines.at(-1)!.replace(/^V_\w+=\$\(/, "").replace(/ \| version_id\)$/, "");
  return [...lines.slice(0, -1), `expect_refusal ${quote(refused)} ${command}`];
}

/** The commands of one step. */
export function emitStep(ctx: EmitContext, step: ScenarioStep): EmittedStep {
  const version = (label: string) => ctx.scenario.versions.find((entry) => entry.label === label);
  switch (step.kind) {
    case "upload": {
      const migrations = version(step.label)?.migrations ?? [];
      if (migrations.length > 0) {
        const said = [`version ${step.label} adds the migration(s) ${JSON.stringify(migrations)} on top of its config's: add them to the wrangler config before this upload`, ...insideOnly(step.expect)];
        if (step.expect?.refused !== undefined) said.push(`the platform refuses this upload (${step.expect.refused})`);
        const line = `${versionVar(step.label)}=$($WRANGLER versions upload${configArgs(ctx, version(step.label))}${versionArgs(version(step.label), step.label)} | version_id)`;
        return { title: `Upload version ${step.label}, which adds a migration`, lines: step.expect?.refused !== undefined ? [] : [line], insideOnly: said };
      }
      const line = `${versionVar(step.label)}=$($WRANGLER versions upload${configArgs(ctx, version(step.label))}${versionArgs(version(step.label), step.label)} | version_id)`;
      const lines = step.count === 1 ? [line] : [`i=0`, `while [ "$i" -lt ${step.count} ]; do`, `  ${line}`, `  i=$((i + 1))`, `done`];
      return { title: `Upload version ${step.label}${step.count > 1 ? ` ${step.count} times` : ""} (it gets no traffic yet)`, lines: [...maybeRefused(lines, step.expect?.refused), ...deploymentCheck(ctx, step.expect)], insideOnly: insideOnly(step.expect) };
    }
    case "deploy": {
      if (step.full) {
        const label = step.spec.replace(/@100$/, "");
        const message = step.message === undefined ? "" : ` --message ${quote(step.message)}`;
        const v = version(label);
        const vars = Object.entries(v?.vars ?? {}).map(([key, value]) => ` --var ${quote(`${key}:${value}`)}`).join("");
        const line = `${versionVar(label)}=$($WRANGLER deploy${configArgs(ctx, v)} --tag ${quote(v?.tag ?? label)}${message}${vars}${codeUpdateFlag(step.codeUpdate)} | version_id)`;
        return { title: `Deploy version ${label} at 100% (a full deploy)`, lines: [...maybeRefused([line], step.expect?.refused), ...deploymentCheck(ctx, step.expect)], insideOnly: insideOnly(step.expect) };
      }
      const specs = (step.entries ?? []).map((entry) => `"$${versionVar(entry.label)}@${entry.percentage}"`).join(" ");
      const message = step.message === undefined ? "" : ` --message ${quote(step.message)}`;
      const line = `$WRANGLER versions deploy ${specs}${message}${codeUpdateFlag(step.codeUpdate)} --yes`;
      return { title: `Deploy ${step.spec}`, lines: [...maybeRefused([line], step.expect?.refused), ...deploymentCheck(ctx, step.expect)], insideOnly: insideOnly(step.expect) };
    }
    case "rollback": {
      const target = step.target === undefined ? "" : ` "$${versionVar(step.target)}"`;
      const message = step.message === undefined ? "" : ` --message ${quote(step.message)}`;
      const line = `$WRANGLER rollback${target}${message}${codeUpdateFlag(step.codeUpdate)} --yes`;
      return { title: `Roll back${step.target === undefined ? "" : ` to ${step.target}`}`, lines: [...maybeRefused([line], step.expect?.refused), ...deploymentCheck(ctx, step.expect)], insideOnly: insideOnly(step.expect) };
    }
    case "secret": {
      const verb = step.versioned ? "versions secret put" : "secret put";
      const message = step.versioned && step.message !== undefined ? ` --message ${quote(step.message)}` : "";
      // The new version is tagged with its label, so that a deployment check can name it by tag.
      const tag = step.versioned && step.label !== undefined ? ` --tag ${quote(step.label)}` : "";
      const put = `put_secret ${quote(verb)} ${quote(step.secretName)} ${quote(step.value)}${message}${tag}`;
      const capture = step.label === undefined ? [] : [`${versionVar(step.label)}=$(latest_version_id)`];
      return { title: `${verb} ${step.secretName}`, lines: [...maybeRefused([put], step.expect?.refused), ...capture, ...deploymentCheck(ctx, step.expect)], insideOnly: insideOnly(step.expect) };
    }
    case "request":
      return { title: `Request ${step.request.method} ${step.request.path}${step.count > 1 ? ` ${step.count} times` : ""}`, lines: requestLines(ctx, step.request, step.count, step.expect), insideOnly: responsesInsideOnly(step.expect) };
    case "traffic": {
      const request: RequestSpec = { method: step.method, path: step.path, headers: step.headers, ...(step.body !== undefined && { body: step.body }), ...(step.override !== undefined && { override: step.override }), ...(step.objects[0] !== undefined && { object: step.objects[0] }) };
      const said = responsesInsideOnly(step.expect);
      if (step.objects.length > 1) said.unshift(`dosim spreads these requests over ${step.objects.join(", ")} from a seeded stream; here they go to ${step.objects[0]}`);
      if (step.during !== undefined) said.unshift(`dosim runs a ${step.during.kind} after ${step.during.afterRequests} of these requests; run it by hand meanwhile to reproduce that`);
      const statuses = step.expect?.statuses;
      const lines = [`statuses=""`, ...requestLines(ctx, request, step.requests, undefined).map((line) => (line.startsWith("request ") || line.startsWith("  request ") ? `${line}; statuses="$statuses $STATUS"` : line))];
      if (statuses !== undefined) for (const [code, range] of Object.entries(statuses)) lines.push(`check_count ${code} ${range.min} ${range.max ?? ""} "$statuses"`.trimEnd());
      return { title: `Traffic: ${step.requests} requests to ${step.path}`, lines, insideOnly: said };
    }
    case "wait":
      return { title: `Wait ${step.durationMs / 1000} s`, lines: [`sleep ${Math.ceil(step.durationMs / 1000)}`], insideOnly: insideOnly(step.expect) };
    case "idle":
      return { title: `Leave ${step.objects.join(", ")} idle`, lines: [`sleep ${HIBERNATE_AFTER_MS / 1000 + 1}  # an object with no pending work hibernates after about ${HIBERNATE_AFTER_MS / 1000} s without requests`], insideOnly: insideOnly(step.expect) };
    case "expect":
      return { title: "Check the state", lines: deploymentCheck(ctx, step.expect), insideOnly: insideOnly(step.expect) };
    case "socket":
      return { title: `WebSocket ${step.socket}`, lines: [], insideOnly: [`socket ${step.socket}${step.open ? ` opened on ${step.open.path}` : ""}: send ${JSON.stringify(step.send)}, expect ${JSON.stringify(step.socketExpect)} (use a WebSocket client such as websocat)`] };
  }
}
