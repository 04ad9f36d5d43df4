/**
 * `versions list` shows the model's `versionsListed` newest deployable versions (10, as wrangler),
 * oldest first, whatever order the API gives them in.
 */
import { describe, expect, it } from "vitest";
import type { AccountClient } from "../../src/cli/account-client.js";
import { versionsList } from "../../src/cli/commands/versions-list.js";
import type { ApiVersion } from "../../src/dev/api-shapes.js";
import { DEFAULT_LIMITS } from "../../src/model/limits.js";

/** A version as the API gives it; only the fields `versions list` reads matter here. */
const apiVersion = (number: number): ApiVersion =>
  ({
    id: `v${number}`,
    number,
    metadata: { created_on: "2026-01-01T00:00:00.000Z", modified_on: "2026-01-01T00:00:00.000Z", source: "wrangler", author_id: "", author_email: "" },
    annotations: { "workers/triggered_by": "upload" },
    resources: { bindings: [], script: { etag: "", handlers: [], last_deployed_from: "" } },
  }) as ApiVersion;

describe("versions list", () => {
  it("shows the newest versionsListed deployable versions, oldest first", async () => {
    const total = DEFAULT_LIMITS.versionsListed + 2;
    const newestFirst = Array.from({ length: total }, (_, index) => apiVersion(total - index));
    const asked: unknown[] = [];
    const client = {
      call: async (method: string, scriptPath: string, options?: unknown) => {
        asked.push([method, scriptPath, options]);
        return { items: newestFirst };
      },
    } as unknown as AccountClient;
    const listed = await versionsList(client, { json: true }, { out: () => undefined });
    expect(DEFAULT_LIMITS.versionsListed).toBe(10);
    expect(listed.map((version) => version.number)).toEqual(Array.from({ length: 10 }, (_, index) => index + 3));
    expect(asked).toEqual([["GET", "/versions", { query: { deployable: "true" } }]]);
  });
});
