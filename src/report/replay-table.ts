/**
 * The teaching view of a replay: per scenario, one row per deployment, one column per object with
 * the version it runs (reset marked), requested vs realised shares, refused steps, and every
 * failed expectation in red with expected vs actual.
 */
import Table from "cli-table3";
import { deploymentLabel, expectationTotals, showValue, totalsLine, type ReplayReport, type ScenarioReport } from "./replay-report.js";
import { PLAIN, type Style } from "./style.js";
import { RESET_MARK } from "./plan-table.js";

/** Marks an object still running its old version under a deferred update. */
export const DEFERRED_MARK = "~";

function renderScenario(scenario: ScenarioReport, style: Style): string[] {
  if (scenario.error !== undefined) {
    // One line: the file, the scenario, and the cause (which names the version where one is to blame).
    return [style.red(`✗ ${scenario.file} (${scenario.name}) could not be replayed: ${scenario.error.message} [${scenario.error.code}]`)];
  }
  const table = new Table({
    head: ["Deployment", ...scenario.objects.map((name) => JSON.stringify(name)), "Requested → realised"],
    style: { head: [], border: [] },
  });
  for (const deployment of scenario.deployments) {
    const cells = scenario.objects.map((name) => {
      const cell = deployment.objects[name];
      if (cell === undefined) return "";
      const text = `${cell.version}${cell.reset ? RESET_MARK : ""}${cell.deferred === true ? DEFERRED_MARK : ""}`;
      return cell.reset ? style.yellow(text) : text;
    });
    const shares = deployment.shares.map((share) => `${share.label} ${share.requestedPercentage}% → ${share.realisedPercentage}%`).join("\n");
    table.push([deploymentLabel(deployment, "\n"), ...cells, shares]);
  }
  const failed = scenario.expectations.filter((expectation) => !expectation.passed);
  const held = scenario.expectations.length - failed.length;
  return [
    style.bold(`${scenario.name}`) + style.dim(` (${scenario.file}, seed ${scenario.seed})`),
    ...(scenario.description !== undefined ? [scenario.description.trim()] : []),
    ...(scenario.deployments.length > 0 ? [table.toString()] : []),
    ...scenario.steps
      .filter((step) => step.refused !== undefined)
      .map((step) => style.cyan(`Step ${step.step} (${step.summary}) was refused: ${step.refused!.message} [${step.refused!.code}]`)),
    ...scenario.simulatorEvents.map((event) => style.dim(`Simulator: ${event}`)),
    `Resets: ${scenario.totals.resets}. Requests: ${scenario.totals.requests}, errors: ${scenario.totals.errors}.`,
    ...failed.map((expectation) =>
      style.red(`✗ step ${expectation.step}: ${expectation.name}: expected ${showValue(expectation.expected)}, got ${showValue(expectation.actual)}. ${expectation.message}`),
    ),
    failed.length === 0 ? style.green(`✓ ${held} expectation(s) hold`) : style.red(`${failed.length} of ${scenario.expectations.length} expectation(s) failed`),
  ];
}

/** Renders every scenario, then a total line. */
export function renderReplayTable(report: ReplayReport, style: Style = PLAIN): string {
  const blocks = report.scenarios.map((scenario) => renderScenario(scenario, style).join("\n"));
  const { failed, errored } = expectationTotals(report);
  // The legend explains the marks of the deployment tables, so it comes only with a table.
  const hasTable = report.scenarios.some((scenario) => scenario.deployments.length > 0);
  const legend = hasTable ? [`${RESET_MARK} = reset at this deployment, ${DEFERRED_MARK} = still on its old version (deferred update)`] : [];
  const total = `${report.scenarios.length} scenario(s): ${totalsLine(report)}`;
  return `${[...legend, ...blocks, failed + errored === 0 ? style.green(total) : style.red(total)].join("\n\n")}\n`;
}
