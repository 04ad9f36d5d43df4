/**
 * `--version-tag`: a tag names a version among the deployable ones, as wrangler resolves it
 * (versions/deploy.ts, resolveTagsToVersions), with its wording for a tag that matches none or
 * several.
 */
import type { ApiVersion } from "../dev/api-shapes.js";
import type { OptionalPercentage } from "../model/version-specs.js";
import { AccountError, type AccountClient } from "./account-client.js";

/** Resolves each tag to the one deployable version that carries it. */
export async function resolveVersionTags(client: AccountClient, byTag: ReadonlyMap<string, OptionalPercentage>): Promise<Map<string, OptionalPercentage>> {
  const resolved = new Map<string, OptionalPercentage>();
  if (byTag.size === 0) return resolved;
  const { items } = await client.call<{ items: ApiVersion[] }>("GET", "/versions", { query: { deployable: "true" } });
  for (const [tag, percentage] of byTag) {
    const matches = items.filter((version) => version.annotations["workers/tag"] === tag);
    if (matches.length === 0) {
      throw new AccountError(
        "unknown-version",
        `No deployable version found with tag "${tag}".\nTags can only be resolved against recent (deployable) versions. Run \`dosim versions list\` to see available versions, or deploy by Version ID directly.`,
        { tag },
      );
    }
    if (matches.length > 1) {
      const ids = [...matches].sort((a, b) => b.metadata.created_on.localeCompare(a.metadata.created_on)).map((version) => `  - ${version.id}`);
      throw new AccountError("ambiguous-version-tag", `Tag "${tag}" matches multiple versions:\n${ids.join("\n")}\nDeploy by Version ID directly to disambiguate.`, {
        tag,
        versionIds: matches.map((version) => version.id),
      });
    }
    resolved.set(matches[0]!.id, percentage);
  }
  return resolved;
}
