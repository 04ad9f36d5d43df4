import { describe, expect, it } from "vitest";
import { deployVersions } from "../../src/model/deploy.js";
import { changeSecrets, changeVersionSecrets, putSecret, putVersionSecret, setOne } from "../../src/model/secrets.js";
import { activeDeployment, emptyWorker, type WorkerState } from "../../src/model/types.js";
import { uploadVersion } from "../../src/model/versions.js";
import { deepFreeze, refusal, testContext, unwrap, workerWith } from "../helpers/model-fixtures.js";

const ctx = testContext("s");

function deploy(state: WorkerState, spec: string): WorkerState {
  return unwrap(deployVersions(state, spec, ctx)).state;
}

describe("putVersionSecret (versions secret put)", () => {
  it("creates an undeployed version like the newest one, with the secret set", () => {
    const { state, ids } = workerWith(["A", "B"], ctx, {
      B: { vars: { MODE: "b" }, secrets: { OLD: "1" }, source: "b.ts" },
    });
    deepFreeze(state);
    const outcome = unwrap(putVersionSecret(state, "API_KEY", "secret!", testContext("n").at(5)));
    expect(outcome.version).toEqual({
      id: "n-1",
      number: 3,
      tag: "B",
      message: "Secret change: API_KEY",
      triggeredBy: "secret",
      createdAtMs: 5,
      vars: { MODE: "b" },
      secrets: { OLD: "1", API_KEY: "secret!" },
      source: "b.ts",
    });
    expect(outcome.deployment).toBeUndefined();
    expect(outcome.state.deployments).toBe(state.deployments);
    expect(activeDeployment(outcome.state)!.entries[0]!.versionId).toBe(ids.A);
  });

  it("keeps the newest version's migration tag and takes a message", () => {
    const { state } = workerWith(["A"], ctx, { A: { migrationTag: "v1" } });
    const outcome = unwrap(putVersionSecret(state, "K", "v", ctx, { message: "rotate" }));
    expect(outcome.version).toMatchObject({ migrationTag: "v1", message: "rotate" });
  });

  it("refuses a bad secret name and a Worker with no version", () => {
    const { state } = workerWith(["A"], ctx);
    for (const name of ["", "1ABC", "MY-KEY", "a b"]) {
      expect(refusal(putVersionSecret(deepFreeze(state), name, "v", ctx), "invalid-secret-name").details).toEqual({ name });
    }
    refusal(putVersionSecret(emptyWorker("w"), "K", "v", ctx), "not-deployed-yet");
  });
});

describe("putSecret (secret put)", () => {
  it("deploys the new version at 100% with source secret", () => {
    const { state } = workerWith(["A"], ctx, { A: { secrets: { K: "1" } } });
    deepFreeze(state);
    const outcome = unwrap(putSecret(state, "K", "2", ctx));
    expect(outcome.version).toMatchObject({ number: 2, triggeredBy: "secret", secrets: { K: "2" } });
    expect(outcome.deployment).toMatchObject({ source: "secret", entries: [{ versionId: outcome.version.id, percentage: 100 }] });
    expect(outcome.state.versions).toHaveLength(2);
    expect(outcome.state.deployments).toHaveLength(2);
    expect(activeDeployment(outcome.state)).toBe(outcome.deployment);
  });

  it("refuses (10215) while the newest version is not deployed at 100%, with nothing changed", () => {
    const { state, ids } = workerWith(["A", "B"], ctx);
    // B uploaded, not deployed.
    expect(refusal(putSecret(deepFreeze(state), "K", "v", ctx), "10215").details).toEqual({ latestVersionId: ids.B });
    // B deployed at 50%.
    refusal(putSecret(deepFreeze(deploy(state, "B@50,A@50")), "K", "v", ctx), "10215");
    // An older version at 100% while B is newest.
    refusal(putSecret(deepFreeze(deploy(deploy(state, "B@100"), "A@100")), "K", "v", ctx), "10215");
    // After a versions secret put, the new version is not deployed yet.
    const deployed = deploy(state, "B@100");
    const staged = unwrap(putVersionSecret(deployed, "K", "v", ctx)).state;
    refusal(putSecret(deepFreeze(staged), "K", "w", ctx), "10215");
    // Never deployed at all.
    refusal(putSecret(unwrap(uploadVersion(emptyWorker("w"), {}, ctx)).state, "K", "v", ctx), "10215");
    refusal(putSecret(emptyWorker("w"), "K", "v", ctx), "10215");
  });

  it("allows the newest version at 100% next to a 0% version", () => {
    const { state } = workerWith(["A", "B"], ctx);
    const outcome = unwrap(putSecret(deploy(state, "B@100,A@0"), "K", "v", ctx));
    expect(outcome.deployment!.entries).toEqual([{ versionId: outcome.version.id, percentage: 100 }]);
  });

  it("refuses a bad name after the version check", () => {
    const { state } = workerWith(["A"], ctx);
    refusal(putSecret(deepFreeze(state), "BAD-NAME", "v", ctx), "invalid-secret-name");
  });
});

// wrangler packages/wrangler/src/versions/secrets/index.ts: a secret change is a JSON merge patch
// of the newest version (null deletes), and the new version keeps its tag (resolveTagsToVersions
// notes "a secret change inheriting the tag") unless --tag gives another.
describe("changeVersionSecrets (versions secret put/delete/bulk)", () => {
  it("sets and deletes in one version; names it lacks are left alone", () => {
    const { state } = workerWith(["A"], ctx, { A: { secrets: { KEEP: "1", DROP: "2" } } });
    const outcome = unwrap(changeVersionSecrets(deepFreeze(state), { set: { NEW: "3" }, delete: ["DROP", "ABSENT"] }, ctx));
    expect(outcome.version.secrets).toEqual({ KEEP: "1", NEW: "3" });
    expect(outcome.version.triggeredBy).toBe("secret");
  });

  it("keeps the newest version's tag unless another is given", () => {
    const { state } = workerWith(["A"], ctx, { A: { tag: "release-7" } });
    expect(unwrap(changeVersionSecrets(state, setOne("K", "v"), ctx)).version.tag).toBe("release-7");
    expect(unwrap(changeVersionSecrets(state, setOne("K", "v"), ctx, { tag: "hotfix", message: "m" })).version).toMatchObject({ tag: "hotfix", message: "m" });
  });

  it("refuses a bad name among deletions too", () => {
    const { state } = workerWith(["A"], ctx);
    refusal(changeVersionSecrets(state, { set: {}, delete: ["1BAD"] }, ctx), "invalid-secret-name");
  });
});

describe("changeSecrets (secret delete/bulk)", () => {
  it("deploys the changed version at 100%, and is refused (10215) as secret put is", () => {
    const { state } = workerWith(["A"], ctx, { A: { secrets: { OLD: "1" } } });
    const outcome = unwrap(changeSecrets(deepFreeze(state), { set: {}, delete: ["OLD"] }, ctx));
    expect(outcome.version.secrets).toEqual({});
    expect(outcome.deployment?.entries).toEqual([{ versionId: outcome.version.id, percentage: 100 }]);
    const staged = unwrap(changeVersionSecrets(state, setOne("K", "v"), ctx)).state;
    refusal(changeSecrets(staged, { set: {}, delete: ["OLD"] }, ctx), "10215");
  });
});
