import { describe, expect, it } from "vitest";
import { deployVersions, fullDeploy } from "../../src/model/deploy.js";
import { withLimits } from "../../src/model/limits.js";
import { changedSecrets, defaultRollbackTarget, rollback } from "../../src/model/rollback.js";
import { activeDeployment, emptyWorker, type WorkerState } from "../../src/model/types.js";
import { putVersionSecret } from "../../src/model/secrets.js";
import { uploadVersion } from "../../src/model/versions.js";
import { deepFreeze, refusal, testContext, unwrap, workerWith } from "../helpers/model-fixtures.js";

const ctx = testContext("r");

/** Deploys `spec` and returns the new state. */
function deploy(state: WorkerState, spec: string): WorkerState {
  return unwrap(deployVersions(state, spec, ctx)).state;
}

describe("defaultRollbackTarget", () => {
  it("is the newest earlier deployment with a version at exactly 100%, skipping split ones", () => {
    const { state, ids } = workerWith(["A", "B", "C"], ctx);
    let current = deploy(state, "B@100"); // [A@100] [B@100]
    current = deploy(current, "C@10,B@90");
    current = deploy(current, "C@50,B@50");
    expect(defaultRollbackTarget(current)?.id).toBe(ids.B);
    // The active deployment itself is never the target.
    current = deploy(current, "C@100");
    expect(defaultRollbackTarget(current)?.id).toBe(ids.B);
  });

  it("is undefined with one deployment, or only split earlier ones", () => {
    const { state } = workerWith(["A", "B"], ctx);
    expect(defaultRollbackTarget(state)).toBeUndefined();
    const once = deploy(state, "B@50,A@50");
    const twice = deploy(once, "B@60,A@40");
    // A history that starts with a split (as a host might import it) has no 100% deployment.
    expect(defaultRollbackTarget({ ...twice, deployments: twice.deployments.slice(1) })).toBeUndefined();
  });

  it("counts a deployment whose other version has 0% as a version at 100%", () => {
    const { state, ids } = workerWith(["A", "B"], ctx);
    const current = deploy(deploy(state, "B@0,A@100"), "B@50,A@50");
    expect(defaultRollbackTarget({ ...current, deployments: current.deployments.slice(1) })?.id).toBe(ids.A);
  });
});

describe("rollback", () => {
  it("creates a 100% deployment with source rollback and no new version", () => {
    const { state, ids } = workerWith(["A", "B"], ctx);
    const canary = deepFreeze(deploy(state, "B@30,A@70"));
    const outcome = unwrap(rollback(canary, { message: "bad canary" }, testContext("x").at(99)));
    expect(outcome.deployment).toEqual({
      id: "x-1",
      createdAtMs: 99,
      source: "rollback",
      message: "bad canary",
      entries: [{ versionId: ids.A, percentage: 100 }],
      codeUpdate: { mode: "deferred", maxDelayMs: 300_000 }, // the platform's default
    });
    expect(outcome.version).toBeUndefined();
    expect(outcome.state.versions).toBe(canary.versions);
    expect(outcome.state.deployments).toHaveLength(3);
    expect(activeDeployment(outcome.state)).toBe(outcome.deployment);
  });

  it("rolls back to a named version, with a code-update strategy", () => {
    const { state, ids } = workerWith(["A", "B", "C"], ctx);
    const current = deploy(state, "C@100");
    const codeUpdate = { mode: "deferred", maxDelayMs: 1000 } as const;
    const outcome = unwrap(rollback(current, { to: ids.B!, codeUpdate }, ctx));
    expect(outcome.deployment.entries).toEqual([{ versionId: ids.B, percentage: 100 }]);
    expect(outcome.deployment.codeUpdate).toEqual(codeUpdate);
  });

  it("refuses a Worker never deployed, a missing target and an unknown version", () => {
    const uploaded = unwrap(uploadVersion(emptyWorker("w"), {}, ctx)).state;
    refusal(rollback(uploaded, {}, ctx), "not-deployed-yet");
    const { state } = workerWith(["A", "B"], ctx);
    const error = refusal(rollback(deepFreeze(state), {}, ctx), "no-rollback-target");
    expect(error.message).toContain("name the version");
    const splitOnly = deepFreeze(deploy(state, "B@50,A@50"));
    // [A@100] is the earlier 100% deployment here, so this one works...
    unwrap(rollback(splitOnly, {}, ctx));
    // ...and an unknown id is refused.
    expect(refusal(rollback(splitOnly, { to: "nope" }, ctx), "unknown-version").details).toEqual({ ref: "nope" });
  });

  it("refuses a target across a Durable Object migration", () => {
    const { state, ids } = workerWith(["A"], ctx);
    const migrated = deepFreeze(unwrap(fullDeploy(state, { tag: "B", migrationTag: "v1" }, ctx)).state);
    expect(defaultRollbackTarget(migrated)?.id).toBe(ids.A);
    const error = refusal(rollback(migrated, {}, ctx), "version-before-migration");
    expect(error.details).toMatchObject({ versionId: ids.A, migrationBarrierNumber: 2 });
    refusal(rollback(migrated, { to: ids.A!, force: true }, ctx), "version-before-migration");
  });

  it("refuses a target outside the deployable window", () => {
    const limits = withLimits({ deployableVersionWindow: 3 });
    const { state, ids } = workerWith(["A", "B", "C", "D"], ctx, {}, limits);
    const current = deepFreeze(unwrap(deployVersions(state, "D@100", ctx, {}, limits)).state);
    refusal(rollback(current, {}, ctx, limits), "version-outside-window");
    refusal(rollback(current, { to: ids.A! }, ctx, limits), "version-outside-window");
    unwrap(rollback(current, { to: ids.B! }, ctx, limits));
    // The default window of 100 allows it.
    unwrap(rollback(current, {}, ctx));
  });

  it("resolves its target like a deployment spec: a label, an id, or the tag of one deployable version", () => {
    const { state, ids } = workerWith(["A", "B", "C"], ctx, { C: { tag: "B" } });
    const current = deepFreeze(deploy(state, `${ids.C}@100`));
    expect(unwrap(rollback(current, { to: "A" }, ctx)).deployment.entries).toEqual([{ versionId: ids.A, percentage: 100 }]);
    expect(unwrap(rollback(current, { to: "first", labels: { first: ids.A! } }, ctx)).deployment.entries).toEqual([{ versionId: ids.A, percentage: 100 }]);
    refusal(rollback(current, { to: "B" }, ctx), "ambiguous-version-tag");
  });

  describe("secrets (10220)", () => {
    const { state, ids } = workerWith(["A", "B"], ctx, { A: { secrets: { KEY: "old" } }, B: { secrets: { KEY: "new", EXTRA: "x" } } });
    const current = deepFreeze(deploy(state, "B@100"));

    it("refuses a target whose secrets differ, naming them", () => {
      const error = refusal(rollback(current, {}, ctx), "10220");
      expect(error.details).toEqual({ versionId: ids.A, secrets: ["EXTRA", "KEY"] });
      expect(error.message).toContain("forced");
    });

    it("goes ahead with force", () => {
      const outcome = unwrap(rollback(current, { force: true }, ctx));
      expect(outcome.deployment.entries).toEqual([{ versionId: ids.A, percentage: 100 }]);
      expect(outcome.deployment.source).toBe("rollback");
    });

    it("needs no force when the secrets are equal", () => {
      const same = workerWith(["A", "B"], ctx, { A: { secrets: { KEY: "k" } } });
      unwrap(rollback(deploy(same.state, "B@100"), {}, ctx));
    });

    it("compares with the deployed version, not a newer undeployed one", () => {
      // A@100 runs; `versions secret put` makes C (a new KEY) without deploying it; B is uploaded.
      const same = workerWith(["A", "B"], ctx, { A: { secrets: { KEY: "k" } } });
      const withC = unwrap(putVersionSecret(deploy(same.state, "A@100"), "KEY", "other", ctx)).state;
      // Rolling back to B (KEY "k", as deployed A has) asks for nothing, although newest C differs.
      unwrap(rollback(withC, { to: same.ids.B! }, ctx));
      // Once C is deployed, a rollback to B crosses a secret change.
      const deployedC = deploy(withC, `${withC.versions[withC.versions.length - 1]!.id}@100`);
      expect(refusal(rollback(deployedC, { to: same.ids.B! }, ctx), "10220").details).toEqual({ versionId: same.ids.B, secrets: ["KEY"] });
    });

    it("compares with every version of a split that takes traffic", () => {
      const split = workerWith(["A", "B", "C"], ctx, { A: { secrets: { KEY: "a" } }, B: { secrets: { KEY: "b" } }, C: { secrets: { KEY: "a" } } });
      const both = deploy(split.state, "B@50,C@50");
      refusal(rollback(both, { to: split.ids.A! }, ctx), "10220");
      // A 0% entry serves only overrides: it is not what is deployed.
      const zero = deploy(split.state, "B@0,C@100");
      unwrap(rollback(zero, { to: split.ids.A! }, ctx));
    });

    it("changedSecrets compares presence and value", () => {
      const [a, b] = state.versions;
      expect(changedSecrets(a!, b!)).toEqual(["EXTRA", "KEY"]);
      expect(changedSecrets(a!, a!)).toEqual([]);
    });
  });
});
