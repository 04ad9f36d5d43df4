/** The account API's shapes: a deployment's effect as the verbs print it, and the annotations. */
import { describe, expect, it } from "vitest";
import { apiDeployment, apiEffect, apiVersion } from "../../src/dev/api-shapes.js";
import type { DeploymentEffect } from "../../src/model/ledger.js";
import type { Deployment, DeploymentSource, Version, VersionTrigger } from "../../src/model/types.js";

describe("apiEffect", () => {
  it("gives each deferred object the version it moved from, and names the objects it knows", () => {
    const count = 2000;
    const ids = Array.from({ length: count }, (_, index) => `o${index}`);
    const effect: DeploymentEffect = {
      deploymentId: "d2",
      moves: ids.map((objectId, index) => ({ objectId, from: index % 2 === 0 ? "A" : "B", to: "C" })),
      resets: [],
      // Deferred in the reverse order of the moves, plus one that never moved.
      deferred: [...[...ids].reverse(), "unmoved"].map((objectId) => ({ objectId, pending: { to: "C", deploymentId: "d2", deadlineMs: 300_000 } })),
    };
    const shown = apiEffect(effect, { o0: "foo" }, count + 1);
    expect(shown.objects_known).toBe(count + 1);
    expect(shown.moved).toHaveLength(count);
    expect(shown.deferred).toHaveLength(count + 1);
    expect(shown.deferred[0]).toEqual({ object_id: `o${count - 1}`, from: "B", to: "C", deadline: "1970-01-01T00:05:00.000Z" });
    expect(shown.deferred[count - 1]).toEqual({ object_id: "o0", name: "foo", from: "A", to: "C", deadline: "1970-01-01T00:05:00.000Z" });
    expect(shown.deferred[count]).toEqual({ object_id: "unmoved", from: "", to: "C", deadline: "1970-01-01T00:05:00.000Z" });
  });
});

// `workers/triggered_by` as real API answers carry it (the schema, cloudflare/api-schemas
// openapi.yaml, only says "string"): `versions upload` → "version_upload", a full deploy (Scripts
// PUT) → "upload", which wrangler's formatTrigger (src/versions/list.ts) shows as "Upload", a
// secret change → "secret"; deployments: "deployment", "rollback", "secret".
describe("workers/triggered_by", () => {
  const version = (triggeredBy: VersionTrigger): Version => ({ id: "v", number: 1, triggeredBy, createdAtMs: 0, vars: {}, secrets: {} });
  const deployment = (source: DeploymentSource): Deployment =>
    ({ id: "d", createdAtMs: 0, source, entries: [{ versionId: "v", percentage: 100 }], codeUpdate: { mode: "deferred", maxDelayMs: 300_000 } }) as Deployment;

  it("names what created a version", () => {
    expect(apiVersion(version("upload")).annotations["workers/triggered_by"]).toBe("version_upload");
    expect(apiVersion(version("deploy")).annotations["workers/triggered_by"]).toBe("upload");
    expect(apiVersion(version("secret")).annotations["workers/triggered_by"]).toBe("secret");
  });

  it("names what created a deployment", () => {
    const sources: DeploymentSource[] = ["deploy", "versions-deploy", "rollback", "secret"];
    expect(sources.map((source) => apiDeployment(deployment(source)).annotations["workers/triggered_by"])).toEqual(["deployment", "deployment", "rollback", "secret"]);
  });
});
