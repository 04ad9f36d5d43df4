/**
 * Account API bodies and paths that used to answer 500 `internal`: each is now a refusal with a
 * message naming the field (400), checked before anything reads the body.
 */
import { describe, expect, it } from "vitest";
import { bodyProblem, decodePathPart, DeploymentBody } from "../../src/dev/api-bodies.js";

describe("account API bodies", () => {
  it("refuses deployment bodies of the wrong shape, naming the field", () => {
    expect(bodyProblem(DeploymentBody, { versions: [null] })).toBe("versions[0]: expected object, received null.");
    expect(bodyProblem(DeploymentBody, { versions: "a@100" })).toBe("versions: versions must be a list of { version_id, percentage }.");
    expect(bodyProblem(DeploymentBody, { versions: [{ version_id: 7 }] })).toBe("versions[0].version_id: version_id must be a version id or tag (text).");
  });

  it("accepts the bodies the verbs send", () => {
    expect(bodyProblem(DeploymentBody, undefined)).toBeUndefined();
    const body = { versions: [{ version_id: "b", percentage: 20 }, { version_id: "a", percentage: null }], annotations: { "workers/message": "m" }, code_update_strategy: { mode: "deferred", max_delay: 30 } };
    expect(bodyProblem(DeploymentBody, body)).toBeUndefined();
  });

  it("decodes path parts, and reports a malformed %-escape instead of throwing", () => {
    expect(decodePathPart("hello%20world")).toBe("hello world");
    expect(decodePathPart("%E0%A4%A")).toBeUndefined();
    expect(decodePathPart("%")).toBeUndefined();
  });
});
