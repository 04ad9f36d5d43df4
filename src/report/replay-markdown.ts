/**
 * Markdown for a CI job summary: per scenario the deployment table and failed expectations.
 */
import { deploymentLabel, showValue, totalsLine, type ReplayReport, type ScenarioReport } from "./replay-report.js";
import { RESET_MARK } from "./plan-table.js";
import { DEFERRED_MARK } from "./replay-table.js";

/** Escapes text for a table cell: pipes, and the reset/deferred marks that Markdown reads as emphasis. */
function cell(text: string): string {
  return text.replace(/([|*~_])/g, "\\$1").replace(/\n/g, "<br>");
}

/** A code span: no escapes apply inside one, so only pipes (table cells) and backticks are replaced. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\n/g, " ")}\``;
}

function scenarioMarkdown(scenario: ScenarioReport): string[] {
  if (scenario.error !== undefined) {
    return [`## ⚠️ ${cell(scenario.name)}`, "", `${code(scenario.file)} could not be replayed: ${cell(scenario.error.message)} ${code(scenario.error.code)}`, ""];
  }
  const failed = scenario.expectations.filter((expectation) => !expectation.passed);
  const lines = [`## ${failed.length === 0 ? "✅" : "❌"} ${cell(scenario.name)}`, "", `${code(scenario.file)}, seed ${code(scenario.seed)}`, ""];
  if (scenario.deployments.length > 0) {
    lines.push(`| Deployment | ${scenario.objects.map((name) => `"${cell(name)}"`).join(" | ")} | Requested → realised |`);
    lines.push(`|${" --- |".repeat(scenario.objects.length + 2)}`);
    for (const deployment of scenario.deployments) {
      const cells = scenario.objects.map((name) => {
        const object = deployment.objects[name];
        return object === undefined ? "" : cell(`${object.version}${object.reset ? RESET_MARK : ""}${object.deferred === true ? DEFERRED_MARK : ""}`);
      });
      const shares = deployment.shares.map((share) => `${share.label} ${share.requestedPercentage}% → ${share.realisedPercentage}%`).join("<br>");
      lines.push(`| ${cell(deploymentLabel(deployment, "\n"))} | ${cells.join(" | ")} | ${shares} |`);
    }
    lines.push("");
  }
  for (const step of scenario.steps.filter((item) => item.refused !== undefined)) {
    lines.push(`- Step ${step.step} (${code(step.summary)}) refused: ${cell(step.refused!.message)} ${code(step.refused!.code)}`);
  }
  for (const expectation of failed) {
    lines.push(`- ❌ step ${expectation.step}: ${code(expectation.name)}: expected ${code(showValue(expectation.expected))}, got ${code(showValue(expectation.actual))}`);
  }
  lines.push(`- ${scenario.expectations.length - failed.length}/${scenario.expectations.length} expectations hold; ${scenario.totals.resets} resets`, "");
  return lines;
}

/** Renders the report as Markdown. */
export function renderReplayMarkdown(report: ReplayReport): string {
  const lines = [`# dosim replay: ${totalsLine(report)}`, "", ...report.scenarios.flatMap(scenarioMarkdown)];
  return `${lines.join("\n").trimEnd()}\n`;
}
