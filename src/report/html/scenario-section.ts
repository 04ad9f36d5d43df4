/**
 * One scenario of the HTML report: its verdict, the steps as a timeline (deployments with their
 * versions and percentages, refused steps with their codes), the objects × deployments grid, the
 * shares chart and every expectation, failed ones first.
 */
import { RESET_MARK } from "../plan-table.js";
import { deploymentLabel, showValue, type ReplayDeployment, type ScenarioReport } from "../replay-report.js";
import { DEFERRED_MARK } from "../replay-table.js";
import { escapeHtml } from "./escape.js";
import { swatchClass } from "./palette.js";
import { sharesSection } from "./shares-chart.js";

/** The scenario's verdict: passed, failed (with the count) or not replayed. */
function verdict(scenario: ScenarioReport): string {
  if (scenario.error !== undefined) return '<span class="status error">⚠ could not be replayed</span>';
  const failed = scenario.expectations.filter((expectation) => !expectation.passed).length;
  return failed === 0
    ? `<span class="status pass">✓ ${scenario.expectations.length} expectation(s) hold</span>`
    : `<span class="status fail">✗ ${failed} of ${scenario.expectations.length} expectation(s) failed</span>`;
}

function timeline(scenario: ScenarioReport): string {
  const deploymentOf = new Map(scenario.deployments.map((deployment) => [deployment.step, deployment]));
  const rows = scenario.steps.map((step) => {
    const deployment = deploymentOf.get(step.step);
    const outcome =
      step.refused !== undefined
        ? `<strong>refused</strong>: ${escapeHtml(step.refused.message)} <code>${escapeHtml(step.refused.code)}</code>`
        : deployment !== undefined
          ? `deployment: ${escapeHtml(deploymentLabel(deployment))} <span class="muted">(${escapeHtml(deployment.source)})</span>`
          : "";
    return `<tr${step.refused !== undefined ? ' class="failed"' : ""}><th scope="row">${step.step}</th><td><code>${escapeHtml(step.summary)}</code></td><td>${outcome}</td></tr>`;
  });
  return `<h3>Steps</h3>\n<table class="timeline"><thead><tr><th scope="col">Step</th><th scope="col">Action</th><th scope="col">Outcome</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function legend(labels: readonly string[]): string {
  const chips = labels.map((label) => `<li><span class="chip ${swatchClass(labels, label)}"></span>${escapeHtml(label)}</li>`);
  return `<ul class="legend" aria-label="versions">${chips.join("")}<li>${RESET_MARK} reset at this deployment</li><li>${DEFERRED_MARK} still on its old version (deferred update)</li></ul>`;
}

function cell(index: number, name: string, deployment: ReplayDeployment, labels: readonly string[]): string {
  const object = deployment.objects[name];
  if (object === undefined) return '<td class="empty"><span class="muted">—</span></td>';
  const marks = `${object.reset ? RESET_MARK : ""}${object.deferred === true ? DEFERRED_MARK : ""}`;
  const title = `${name} at step ${deployment.step}: ${object.version}${object.reset ? ", reset" : ""}${object.deferred === true ? ", deferred" : ""}`;
  return `<td class="cell ${swatchClass(labels, object.version)}"><button type="button" data-scenario="${index}" data-object="${escapeHtml(name)}" data-step="${deployment.step}" title="${escapeHtml(title)}">${escapeHtml(object.version)}${marks}</button></td>`;
}

function grid(index: number, scenario: ScenarioReport, labels: readonly string[]): string {
  if (scenario.objects.length === 0 || scenario.deployments.length === 0) return "";
  const head = scenario.deployments.map((deployment) => `<th scope="col">step ${deployment.step}<br><span class="muted">${escapeHtml(deploymentLabel(deployment, " "))}</span></th>`);
  const rows = scenario.objects.map((name) => {
    const cells = scenario.deployments.map((deployment) => cell(index, name, deployment, labels));
    return `<tr><th scope="row"><button type="button" data-scenario="${index}" data-object="${escapeHtml(name)}">${escapeHtml(name)}</button></th>${cells.join("")}</tr>`;
  });
  return [
    "<h3>Objects at each deployment</h3>",
    legend(labels),
    `<table class="grid"><thead><tr><th scope="col">Object</th>${head.join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`,
    '<p class="muted">Pick an object or a cell for its id, slot, history, resets and instance ends (times on the virtual clock).</p>',
  ].join("\n");
}

function expectations(scenario: ScenarioReport): string {
  if (scenario.expectations.length === 0) return "";
  const ordered = [...scenario.expectations.filter((item) => !item.passed), ...scenario.expectations.filter((item) => item.passed)];
  const rows = ordered.map(
    (item) =>
      `<tr${item.passed ? "" : ' class="failed"'}><td>${item.passed ? "✓ held" : "✗ failed"}</td><td>${item.step === 0 ? "run" : item.step}</td><td><code>${escapeHtml(item.name)}</code></td><td><code>${escapeHtml(showValue(item.expected))}</code></td><td><code>${escapeHtml(showValue(item.actual))}</code></td><td>${escapeHtml(item.message)}</td></tr>`,
  );
  return `<h3>Expectations</h3>\n<table class="expectations"><thead><tr><th scope="col">Result</th><th scope="col">Step</th><th scope="col">Name</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Why</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** The section of scenario number `index` (its position in the report). */
export function scenarioSection(index: number, scenario: ScenarioReport): string {
  const labels = scenario.versions.map((version) => version.label);
  for (const deployment of scenario.deployments) for (const entry of deployment.entries) if (!labels.includes(entry.label)) labels.push(entry.label);
  const parts = [
    `<section class="scenario" id="scenario-${index + 1}" aria-labelledby="scenario-${index + 1}-title">`,
    `<h2 id="scenario-${index + 1}-title">${escapeHtml(scenario.name)}</h2>`,
    `<p>${verdict(scenario)} <span class="muted">— <code>${escapeHtml(scenario.file)}</code>, seed <code>${escapeHtml(scenario.seed)}</code></span></p>`,
    ...(scenario.description !== undefined ? [`<p>${escapeHtml(scenario.description.trim())}</p>`] : []),
  ];
  if (scenario.error !== undefined) {
    parts.push(`<p>${escapeHtml(scenario.error.message)} <code>${escapeHtml(scenario.error.code)}</code></p>`, "</section>");
    return parts.join("\n");
  }
  parts.push(
    timeline(scenario),
    grid(index, scenario, labels),
    sharesSection(scenario.deployments, labels),
    expectations(scenario),
    `<p class="muted">Resets: ${scenario.totals.resets}. Requests: ${scenario.totals.requests}, errors: ${scenario.totals.errors}.</p>`,
    ...scenario.simulatorEvents.map((event) => `<p class="muted">Simulator: ${escapeHtml(event)}</p>`),
    "</section>",
  );
  return parts.filter((part) => part !== "").join("\n");
}
