/**
 * The `Source:` line of `versions list`, `versions view`, `deployments list` and `deployments
 * status` says what wrangler 4.86 says. Source: wrangler's getVersionSource, formatTrigger and
 * formatSource (packages/wrangler/src/versions/list.ts; getDeploymentSource in
 * versions/deployments/list.ts passes a deployment's `source` and annotations through the same).
 */
import { describe, expect, it } from "vitest";
import { sourceLabel } from "../../src/cli/account-output.js";

describe("sourceLabel", () => {
  it("words the workers/triggered_by values wrangler knows", () => {
    expect(sourceLabel("upload", "dosim")).toBe("Upload");
    expect(sourceLabel("secret", "dosim")).toBe("Secret Change");
    expect(sourceLabel("rollback", "dosim")).toBe("Rollback");
    expect(sourceLabel("promotion", "dosim")).toBe("Promotion");
  });

  it("shows any other trigger as Unknown, as the platform's own values show in wrangler", () => {
    // `versions upload` makes "version_upload" and a deployment says "deployment": wrangler has no
    // words for either.
    expect(sourceLabel("version_upload", "dosim")).toBe("Unknown (version_upload)");
    expect(sourceLabel("deployment", "dosim")).toBe("Unknown (deployment)");
    expect(sourceLabel("constructor", "dosim")).toBe("Unknown (constructor)");
  });

  it("falls back to the API's source where there is no trigger", () => {
    expect(sourceLabel(undefined, "wrangler")).toBe("Wrangler 🤠");
    expect(sourceLabel(undefined, "api")).toBe("API 📡");
    expect(sourceLabel(undefined, "dash")).toBe("Dashboard 🖥️");
    expect(sourceLabel(undefined, "terraform")).toBe("Terraform 🏗️");
    expect(sourceLabel(undefined, "dosim")).toBe("Other (dosim)");
  });
});
