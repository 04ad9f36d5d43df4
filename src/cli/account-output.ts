/**
 * How the verbs print versions, deployments and what a deployment did to Durable Objects: the
 * labelled blocks wrangler prints (`Version ID:`, `Created:`, `Tag:`…, `-` for a blank), plus
 * dosim's lines on the objects that moved and reset.
 */
import type { ApiDeployment, ApiEffect, ApiVersion } from "../dev/api-shapes.js";

/** Printed where a value is missing. */
export const BLANK = "-";

/** Label/value lines with the values aligned; `right` aligns the labels' right edges. */
export function labelled(view: Readonly<Record<string, string>>, options: { indent?: number; right?: boolean } = {}): string {
  const labels = Object.keys(view).map((label) => `${label}:`);
  const width = Math.max(...labels.map((label) => label.length));
  const indent = " ".repeat(options.indent ?? 0);
  return Object.values(view)
    .map((value, index) => {
      const label = labels[index]!;
      const head = options.right === true ? label.padStart(width) : label.padEnd(width);
      const continuation = `\n${indent}${" ".repeat(width + 2)}`;
      return `${indent}${head}  ${value.split("\n").join(continuation)}`;
    })
    .join("\n")
    .replaceAll(/^[ \t]+$/gm, "");
}

/**
 * Where a version or deployment came from, in wrangler's words (its `getVersionSource`,
 * packages/wrangler/src/versions/list.ts): the `workers/triggered_by` annotation where there is one
 * (only "upload", "secret", "rollback" and "promotion" have words; any other value, such as
 * "version_upload" or "deployment", shows as `Unknown (<value>)`), else the API's `source`.
 */
export function sourceLabel(trigger: string | undefined, source: string): string {
  if (trigger === undefined) return SOURCE_WORDS.get(source) ?? `Other (${source})`;
  return TRIGGER_WORDS.get(trigger) ?? `Unknown (${trigger})`;
}

const TRIGGER_WORDS: ReadonlyMap<string, string> = new Map([
  ["upload", "Upload"],
  ["secret", "Secret Change"],
  ["rollback", "Rollback"],
  ["promotion", "Promotion"],
]);
const SOURCE_WORDS: ReadonlyMap<string, string> = new Map([
  ["api", "API 📡"],
  ["dash", "Dashboard 🖥️"],
  ["wrangler", "Wrangler 🤠"],
  ["terraform", "Terraform 🏗️"],
]);

/** The block `versions list` and `versions view` print for a version. */
export function versionBlock(version: ApiVersion): string {
  return labelled({
    "Version ID": version.id,
    Created: version.metadata.created_on,
    Author: version.metadata.author_email,
    Source: sourceLabel(version.annotations["workers/triggered_by"], version.metadata.source),
    Tag: version.annotations["workers/tag"] || BLANK,
    Message: version.annotations["workers/message"] || BLANK,
  });
}

/** `(50%) <id>` and the version's details, as a deployment lists it. */
export function trafficBlock(version: ApiVersion | undefined, versionId: string, percentage: number, indent = 0): string {
  const details = labelled(
    {
      Created: version?.metadata.created_on ?? BLANK,
      Tag: version?.annotations["workers/tag"] || BLANK,
      Message: version?.annotations["workers/message"] || BLANK,
    },
    { indent: indent + 4, right: true },
  );
  return `${" ".repeat(indent)}(${percentage}%) ${versionId}\n${details}`;
}

/** The block `deployments list` and `deployments status` print for a deployment. */
export function deploymentBlock(deployment: ApiDeployment, versions: ReadonlyMap<string, ApiVersion>): string {
  const traffic = deployment.versions.map((entry) => trafficBlock(versions.get(entry.version_id), entry.version_id, entry.percentage)).join("\n\n");
  const strategy = deployment.code_update_strategy;
  const codeUpdate = strategy.mode === "deferred" ? `deferred (max_delay ${strategy.max_delay} s)` : strategy.mode;
  return labelled({
    Created: deployment.created_on,
    Author: deployment.author_email,
    Source: sourceLabel(deployment.annotations["workers/triggered_by"], deployment.source),
    Message: deployment.annotations["workers/message"] || BLANK,
    "Code update": codeUpdate,
    "Version(s)": traffic,
  });
}

/** "version A at 50% and version B at 50%". */
export function trafficSummary(entries: readonly { version_id: string; percentage: number }[]): string {
  return new Intl.ListFormat("en-US").format(entries.map((entry) => `version ${entry.version_id} at ${entry.percentage}%`));
}

const OBJECTS_SHOWN = 20;

/** What a deployment did (or would do) to the Durable Objects the ledger knows. */
export function effectLines(effect: ApiEffect, verbs: { moved: string; reset: string } = { moved: "moved", reset: "reset" }): string {
  const name = (change: { object_id: string; name?: string }): string => (change.name !== undefined ? JSON.stringify(change.name) : change.object_id.slice(0, 16));
  const short = (id: string): string => id.slice(0, 8);
  const lines = [
    `Durable Objects: ${effect.objects_known} known, ${effect.moved.length} ${verbs.moved}, ${effect.reset.length} ${verbs.reset}` +
      (effect.deferred.length > 0 ? `, ${effect.deferred.length} deferred` : "") +
      ".",
  ];
  const resetIds = new Set(effect.reset.map((reset) => reset.object_id));
  const deferredIds = new Set(effect.deferred.map((entry) => entry.object_id));
  const rows = [
    ...effect.reset.map((reset) => `  ${name(reset)}: ${short(reset.from)} → ${short(reset.to)}, ${verbs.reset}${reset.live ? " (its live instance is dropped)" : ""}`),
    ...effect.deferred.map((entry) => `  ${name(entry)}: ${short(entry.from)} → ${short(entry.to)}, deferred until it hibernates or ${entry.deadline}`),
    ...effect.moved
      .filter((move) => !resetIds.has(move.object_id) && !deferredIds.has(move.object_id))
      .map((move) => `  ${name(move)}: ${short(move.from)} → ${short(move.to)}, ${verbs.moved} (already running ${short(move.to)})`),
  ];
  lines.push(...rows.slice(0, OBJECTS_SHOWN));
  if (rows.length > OBJECTS_SHOWN) lines.push(`  … and ${rows.length - OBJECTS_SHOWN} more (see \`dosim deployments status --json\` and the server log)`);
  return lines.join("\n");
}
