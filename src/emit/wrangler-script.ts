/**
 * `dosim replay --emit wrangler`: a scenario as what a person runs against their Cloudflare
 * account. A POSIX shell script runs the wrangler commands in order (version ids kept in shell
 * variables), sends each request with curl and checks what can be seen from outside, and stops at
 * the first failure; a Markdown runbook says the same steps for a human. What only dosim can see
 * (which version each object runs, resets, live instances) becomes a comment that says so.
 */
import type { Scenario } from "../scenario/types.js";
import { SCRIPT_PRELUDE } from "./script-prelude.js";
import { comment, quote, versionVar } from "./shell.js";
import { emitStep, type EmitContext } from "./step-commands.js";

/** Files holding each version's secrets, for `--secrets-file`. */
function secretFiles(scenario: Scenario): string[] {
  const lines: string[] = [];
  for (const version of scenario.versions) {
    if (Object.keys(version.secrets).length === 0) continue;
    const name = versionVar(version.label).slice(2);
    lines.push(`secrets_file_${name}() { printf '%s' ${quote(JSON.stringify(version.secrets))} > "$WORK/secrets-${name}.json"; echo "$WORK/secrets-${name}.json"; }`);
  }
  return lines;
}

/** The script for `ctx.scenario`. */
export function emitWranglerScript(ctx: EmitContext, scenarioPath: string): string {
  const { scenario } = ctx;
  const lines = [
    "#!/bin/sh",
    "# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand",
    ...comment(`${scenario.name}: the rollout of ${scenarioPath}, as wrangler commands against your account.`),
    ...(scenario.description !== undefined ? comment(scenario.description.trim()) : []),
    ...comment(`Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh ${scenarioPath.replace(/\.ya?ml$/, ".sh").split("/").pop()}`),
    SCRIPT_PRELUDE,
    ...secretFiles(scenario),
  ];
  for (const step of scenario.steps) {
    const emitted = emitStep(ctx, step);
    lines.push("", `# Step ${step.index + 1}${step.name !== undefined ? ` (${step.name})` : ""}: ${emitted.title}`);
    lines.push(`echo ${quote(`— step ${step.index + 1}: ${emitted.title}`)}`);
    for (const said of emitted.insideOnly) lines.push(...comment(`Checked inside dosim only: ${said}`));
    lines.push(...emitted.lines);
  }
  lines.push("", `echo ${quote(`✓ ${scenario.name}: every check that can be seen from outside held`)}`, "");
  return lines.join("\n");
}

/** The Markdown runbook for `ctx.scenario`: the same steps, for a person. */
export function emitRunbook(ctx: EmitContext, scenarioPath: string): string {
  const { scenario } = ctx;
  const lines = [`# Runbook: ${scenario.name}`, "", `The rollout of \`${scenarioPath}\`, step by step, against your Cloudflare account.`];
  if (scenario.description !== undefined) lines.push("", scenario.description.trim());
  lines.push(
    "",
    "Set `BASE_URL` to the address your Worker answers on. The script beside this file runs every step and stops at the first failed check; the functions it uses (`request`, `check_status`, …) are defined at its top. Version ids are kept in shell variables named after the scenario's labels (`$V_A`, `$V_B`).",
  );
  for (const step of scenario.steps) {
    const emitted = emitStep(ctx, step);
    lines.push("", `## ${step.index + 1}. ${emitted.title}`);
    if (emitted.lines.length > 0) lines.push("", "```sh", ...emitted.lines, "```");
    for (const said of emitted.insideOnly) lines.push("", `- Checked inside dosim only: ${said}.`);
  }
  return `${lines.join("\n")}\n`;
}
