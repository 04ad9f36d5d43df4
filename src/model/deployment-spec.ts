/**
 * wrangler's deployment spec: `B@20,A@80` or separate `B@20 A@80` tokens, where each reference is
 * a version id, a version tag, or (in scenarios and `plan`) a label the user gave a version. One
 * percentage may be left out; it takes what the others leave of 100.
 */
import { fail, ok, type Result } from "./errors.js";
import type { Version, WorkerState } from "./types.js";

/** One `ref@percentage` item as written, before the reference is resolved. */
export interface SpecItem {
  readonly ref: string;
  readonly percentage?: number;
}

const PERCENTAGE = /^(?:\d+(?:\.\d*)?|\.\d+)%?$/;

/** Splits and parses a spec (one string with commas or whitespace, or several tokens). */
export function parseDeploymentSpec(spec: string | readonly string[]): Result<SpecItem[]> {
  const tokens = (typeof spec === "string" ? [spec] : spec)
    .flatMap((part) => part.split(/[,\s]+/))
    .filter((token) => token.length > 0);
  if (tokens.length === 0) {
    return fail("no-versions", "No version was selected; give at least one, for example A@100.");
  }
  const items: SpecItem[] = [];
  for (const token of tokens) {
    const at = token.lastIndexOf("@");
    if (at === -1) {
      items.push({ ref: token });
      continue;
    }
    const ref = token.slice(0, at);
    const rawPercentage = token.slice(at + 1);
    if (ref.length === 0 || !PERCENTAGE.test(rawPercentage)) {
      return fail(
        "invalid-version-spec",
        `"${token}" is not a version spec; write <version>@<percentage>, for example B@20.`,
        { token },
      );
    }
    items.push({ ref, percentage: Number.parseFloat(rawPercentage.replace("%", "")) });
  }
  return fillMissingPercentage(items);
}

/** Gives the one item without a percentage whatever the others leave of 100. */
function fillMissingPercentage(items: SpecItem[]): Result<SpecItem[]> {
  const missing = items.filter((item) => item.percentage === undefined);
  if (missing.length === 0) return ok(items);
  if (missing.length > 1) {
    return fail(
      "invalid-version-spec",
      `Give a percentage to all but one version (missing for ${missing.map((item) => item.ref).join(", ")}).`,
    );
  }
  const given = items.reduce((sum, item) => sum + (item.percentage ?? 0), 0);
  const rest = Math.round((100 - given) * 1000) / 1000;
  return ok(items.map((item) => (item.percentage === undefined ? { ref: item.ref, percentage: rest } : item)));
}

/** Formats entries back into wrangler's spec form, e.g. `B@20,A@80`. */
export function formatDeploymentSpec(items: readonly { ref: string; percentage: number }[]): string {
  return items.map((item) => `${item.ref}@${item.percentage}`).join(",");
}

/**
 * Resolves a reference to a version: a label from `labels` first, then an exact version id, then a
 * version tag among the deployable versions (a tag must name exactly one).
 */
export function resolveVersionRef(
  state: WorkerState,
  ref: string,
  deployable: readonly Version[],
  labels: Readonly<Record<string, string>> = {},
): Result<Version> {
  const labelled = labels[ref];
  const id = labelled ?? ref;
  const byId = state.versions.find((version) => version.id === id);
  if (byId !== undefined) return ok(byId);
  const tagged = deployable.filter((version) => version.tag === ref);
  if (tagged.length === 1) return ok(tagged[0]!);
  if (tagged.length > 1) {
    return fail(
      "ambiguous-version-tag",
      `The tag "${ref}" matches ${tagged.length} versions (${tagged.map((version) => version.id).join(", ")}); use a version id instead.`,
      { tag: ref, versionIds: tagged.map((version) => version.id) },
    );
  }
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  return fail(
    "unknown-version",
    isUuid
      ? `No version with id ${ref} exists; list them with \`dosim versions list\`.`
      : `"${ref}" is not a valid version id, and no deployable version has that tag; list them with \`dosim versions list\`.`,
    { ref },
  );
}
