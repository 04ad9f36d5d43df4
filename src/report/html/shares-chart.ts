/**
 * Requested vs realised share per version at each deployment: a small bar chart (inline SVG), a
 * density strip (the share of objects per version, which stays one line whatever the number of
 * objects), and the table of the same numbers, so the chart is never the only way to read them.
 */
import type { ReplayDeployment } from "../replay-report.js";
import { escapeHtml } from "./escape.js";
import { swatchClass } from "./palette.js";

/** One deployment's bars: per version a requested bar (outlined) above a realised bar (its swatch). */
function bars(deployment: ReplayDeployment, labels: readonly string[]): string {
  const rows = deployment.shares.map((share) => {
    const label = escapeHtml(share.label);
    return [
      `<span>${label} asked</span><span class="track"><span class="asked" style="width:${share.requestedPercentage}%"></span></span><span>${share.requestedPercentage}%</span>`,
      `<span>${label} got</span><span class="track"><span class="${swatchClass(labels, share.label)}" style="width:${share.realisedPercentage}%"></span></span><span>${share.realisedPercentage}%</span>`,
    ].join("");
  });
  return `<div class="bars" role="img" aria-label="requested and realised share per version at step ${deployment.step}">${rows.join("")}</div>`;
}

/** The density strip: one segment per version, as wide as its share of the objects. */
function strip(deployment: ReplayDeployment, labels: readonly string[]): string {
  const segments = deployment.shares
    .filter((share) => share.realisedPercentage > 0)
    .map((share) => `<span class="${swatchClass(labels, share.label)}" style="width:${share.realisedPercentage}%" title="${escapeHtml(`${share.label}: ${share.realisedPercentage}%`)}"></span>`);
  return `<div class="strip" role="img" aria-label="realised share per version at step ${deployment.step}">${segments.join("")}</div>`;
}

/** The chart and table of every deployment with shares; empty when nothing was measured. */
export function sharesSection(deployments: readonly ReplayDeployment[], labels: readonly string[]): string {
  const measured = deployments.filter((deployment) => deployment.shares.length > 0);
  if (measured.length === 0) return "";
  const rows = measured.map((deployment) => {
    const numbers = deployment.shares.map((share) => `${escapeHtml(share.label)}: ${share.requestedPercentage}% → ${share.realisedPercentage}% (${share.objects} objects)`).join("<br>");
    return `<tr><th scope="row">step ${deployment.step}</th><td class="bars">${bars(deployment, labels)}${strip(deployment, labels)}</td><td>${numbers}</td></tr>`;
  });
  return [
    "<h3>Requested and realised shares</h3>",
    '<p class="muted">Realised: the share of the scenario\'s objects on each version (of the requests served, when it names no objects).</p>',
    '<table class="shares"><thead><tr><th scope="col">Deployment</th><th scope="col">Chart</th><th scope="col">Requested → realised</th></tr></thead>',
    `<tbody>${rows.join("")}</tbody></table>`,
  ].join("\n");
}
