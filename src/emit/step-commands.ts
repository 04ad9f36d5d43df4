/**
 * What each scenario step becomes on a real account: the wrangler commands (with version ids kept
 * in shell variables), a curl and the checks that can be seen from outside for a request, and a
 * comment for what only dosim can observe (object assignment, resets, live instances). The script
 * and the runbook are both written from these.
 */
import path from "node:path";
import { HIBERNATE_AFTER_MS } from "../model/lifecycle.js";
import type { CodeUpdate } from "../model/types.js";
import type { Scenario, ScenarioStep, ScenarioVersion, StateExpectation } from "../scenario/types.js";
import { outsideView, type Withheld } from "./outside-view.js";
import { insideOnly, requestLines, responsesInsideOnly } from "./request-commands.js";
import { quote, versionVar } from "./shell.js";
import { emitTraffic } from "./traffic-commands.js";

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

const views = new WeakMap<Scenario, readonly Withheld[]>();

/** The checks of `step` that the script leaves to dosim (see outside-view.ts). */
function withheldAt(ctx: EmitContext, step: ScenarioStep): Withheld {
  let view = views.get(ctx.scenario);
  if (view === undefined) views.set(ctx.scenario, (view = outsideView(ctx.scenario)));
  return view[step.index] ?? new Map();
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
      return {
        title: `Request ${step.request.method} ${step.request.path}${step.count > 1 ? ` ${step.count} times` : ""}`,
        lines: requestLines(ctx, step.request, step.count, step.expect, withheldAt(ctx, step)),
        insideOnly: responsesInsideOnly(step.expect, withheldAt(ctx, step)),
      };
    case "traffic":
      return emitTraffic(ctx, step, withheldAt(ctx, step), step.during === undefined ? undefined : emitStep(ctx, step.during));
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
