/**
 * The version specs `versions deploy` takes on the command line, read as wrangler reads them
 * (packages/wrangler/src/versions/deploy.ts: parseVersionSpecs, parseTagSpecs,
 * assignAndDistributePercentages, validateTrafficSubtotal), with wrangler's wording:
 *
 * - positional `<version-id>@<percentage>` (the percentage optional, `%` allowed, parsed as
 *   `parseFloat` does), then `--version-id` (a UUID) paired by position with `--percentage`;
 * - `--version-tag <tag>[@<percentage>]`, split at the last `@` when what follows looks like a
 *   percentage (tags may contain `@`);
 * - a version named twice keeps one place (wrangler keys traffic by version id);
 * - versions without a percentage share what the others leave of 100 evenly.
 *
 * One deliberate difference: wrangler sends a positional spec that is not a UUID to the API, which
 * refuses it; dosim refuses it here with the `--version-id` wording and points at `--version-tag`.
 */
import { fail, ok, type Result } from "./errors.js";

/** A percentage not given yet (shares the rest). */
export type OptionalPercentage = number | null;

/** The command line's specs, as given. */
export interface VersionSpecArgs {
  readonly specs?: readonly string[];
  readonly versionIds?: readonly string[];
  readonly percentages?: readonly string[];
  readonly versionTags?: readonly string[];
}

/** Traffic by version id and by tag, in the order given. */
export interface ParsedVersionSpecs {
  readonly byId: ReadonlyMap<string, OptionalPercentage>;
  readonly byTag: ReadonlyMap<string, OptionalPercentage>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PERCENTAGE_SUFFIX = /^-?\d+(\.\d+)?%?$/;
const EPSILON = 0.001;

/** The percentage after `@`, if any, checked for a number from 0 to 100. */
function optionalPercentage(text: string | undefined, spec: string, label: string): Result<OptionalPercentage> {
  if (text === undefined || text === "") return ok(null);
  const percentage = Number.parseFloat(text);
  if (Number.isNaN(percentage)) {
    return fail("invalid-version-spec", `Could not parse percentage value from ${label} "${spec}". Expected format: <version-id>@<percentage> (e.g. \`<version-id>@50%\`).`, { spec });
  }
  if (percentage < 0 || percentage > 100) {
    return fail("invalid-percentage", `Percentage value ${percentage}% (from ${label} "${spec}") is out of range. Percentages must be between 0 and 100.`, { spec, percentage });
  }
  return ok(percentage);
}

/** Refuses a version reference that is not a version id (a UUID), in wrangler's words. */
export function checkVersionId(id: string): Result<string> {
  return UUID.test(id) ? ok(id) : notAVersionId(id);
}

function notAVersionId(id: string): Result<never> {
  return fail(
    "unknown-version",
    `"${id}" is not a valid Version ID. Version IDs must be UUIDs (e.g. \`12345678-1234-1234-1234-123456789abc\`). Run \`dosim versions list\` to see available versions; to deploy by tag, use --version-tag.`,
    { ref: id },
  );
}

/** Splits `<tag>@<percentage>` at the last `@` when the suffix looks like a percentage. */
function splitTagSpec(spec: string): { tag: string; percentage?: string } {
  const at = spec.lastIndexOf("@");
  if (at === -1) return { tag: spec };
  const suffix = spec.slice(at + 1);
  if (suffix === "") return { tag: spec.slice(0, at) };
  return PERCENTAGE_SUFFIX.test(suffix) ? { tag: spec.slice(0, at), percentage: suffix } : { tag: spec };
}

/** Parses the command line's specs; refuses what wrangler refuses, in its words. */
export function parseVersionSpecArgs(args: VersionSpecArgs): Result<ParsedVersionSpecs> {
  const ids: string[] = [];
  const percentages: OptionalPercentage[] = [];
  for (const spec of args.specs ?? []) {
    const [id = "", text] = spec.split("@");
    const percentage = optionalPercentage(text, spec, "version-spec positional arg");
    if (!percentage.ok) return percentage;
    if (!UUID.test(id)) return notAVersionId(id);
    ids.push(id);
    percentages.push(percentage.value);
  }
  for (const id of args.versionIds ?? []) {
    if (!UUID.test(id)) return notAVersionId(id);
    ids.push(id);
  }
  for (const text of args.percentages ?? []) {
    const percentage = Number.parseFloat(text);
    if (Number.isNaN(percentage) || percentage < 0 || percentage > 100) {
      return fail("invalid-percentage", `The --percentage value ${text}% is out of range. Percentages must be between 0 and 100.`, { percentage: text });
    }
    percentages.push(percentage);
  }
  const byId = new Map<string, OptionalPercentage>(ids.map((id, index) => [id, percentages[index] ?? null]));
  const byTag = new Map<string, OptionalPercentage>();
  for (const spec of args.versionTags ?? []) {
    const { tag, percentage: text } = splitTagSpec(spec);
    if (tag === "") return fail("invalid-version-spec", `Could not parse a tag from --version-tag arg "${spec}".`, { spec });
    const percentage = optionalPercentage(text, spec, "--version-tag arg");
    if (!percentage.ok) return percentage;
    byTag.set(tag, percentage.value);
  }
  return ok({ byId, byTag });
}

/** Gives each version without a percentage an even share of what the others leave (0 past 100). */
export function distributePercentages(traffic: ReadonlyMap<string, OptionalPercentage>): Map<string, number> {
  const given = [...traffic.values()].reduce<number>((sum, value) => sum + (value ?? 0), 0);
  const missing = [...traffic.values()].filter((value) => value === null).length;
  const share = missing === 0 || given > 100 ? 0 : (100 - given) / missing;
  return new Map([...traffic].map(([id, value]) => [id, value ?? share]));
}

/** Checks the number of versions and the sum, as wrangler does before it calls the API. */
export function checkTraffic(traffic: ReadonlyMap<string, number>, maxVersions: number): Result<void> {
  if (traffic.size === 0) {
    return fail("no-versions", "You must select at least 1 version to deploy. Provide a version using positional args (e.g. `dosim versions deploy <version-id>`), --version-id, or --version-tag.");
  }
  if (traffic.size > maxVersions) {
    return fail("too-many-versions", `Too many versions selected. You can deploy at most ${maxVersions} version(s) at a time. Please remove some versions and try again.`, { count: traffic.size });
  }
  const subtotal = [...traffic.values()].reduce((sum, value) => sum + value, 0);
  if (subtotal > 100 + EPSILON || subtotal < 100 - EPSILON) {
    return fail(
      "percentage-sum",
      `The specified traffic percentages add up to ${subtotal}%, but must total exactly 100%. Adjust the --percentage values or version-spec percentages so they sum to 100%.`,
      { sum: subtotal },
    );
  }
  return ok(undefined);
}
