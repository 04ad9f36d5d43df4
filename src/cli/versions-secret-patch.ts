/**
 * What `versions secret put/delete/bulk` share: a merge patch of the newest version's secrets
 * (null deletes) with its annotations, which the server turns into a new version, not deployed.
 * The new version keeps the newest one's tag unless `--tag` gives another, as on the platform.
 */
import type { ApiVersion } from "../dev/api-shapes.js";
import type { AccountClient } from "./account-client.js";
import type { StateFlags } from "./verb.js";

/** The flags of the three verbs. */
export interface VersionSecretFlags extends StateFlags {
  readonly message?: string;
  readonly tag?: string;
}

/** Sends the patch and answers the new version. */
export function patchLatestVersion(client: AccountClient, secrets: Readonly<Record<string, string | null>>, message: string, tag: string | undefined): Promise<ApiVersion> {
  const env = Object.fromEntries(Object.entries(secrets).map(([name, text]) => [name, text === null ? null : { type: "secret_text", text }]));
  return client.call<ApiVersion>("PATCH", "/versions/latest", {
    body: { env, annotations: { "workers/message": message, ...(tag !== undefined && { "workers/tag": tag }) } },
  });
}
