import { describe, expect, it } from "vitest";
import { DEFAULT_CODE_UPDATE, IMMEDIATE } from "../../src/model/code-update.js";
import { deployVersions, fullDeploy, resolveEntries } from "../../src/model/deploy.js";
import { checkDeployable, deployableVersions } from "../../src/model/deployable.js";
import { withLimits } from "../../src/model/limits.js";
import { activeDeployment, emptyWorker, type WorkerState } from "../../src/model/types.js";
import { uploadVersion } from "../../src/model/versions.js";
import { deepFreeze, refusal, testContext, unwrap, workerWith } from "../helpers/model-fixtures.js";

/** A Worker with versions tagged v1..vN, the first fully deployed. */
function manyVersions(count: number, limits = withLimits()): WorkerState {
  return workerWith(Array.from({ length: count }, (_, index) => `v${index + 1}`), testContext(), {}, limits).state;
}

describe("deployVersions", () => {
  it("refuses a Worker that was never deployed", () => {
    const uploaded = unwrap(uploadVersion(emptyWorker("w"), { tag: "A" }, testContext())).state;
    const error = refusal(deployVersions(uploaded, "A@100", testContext()), "not-deployed-yet");
    expect(error.message).toContain("full deploy");
  });

  it("appends a deployment in listed order, with source versions-deploy and the default (deferred) code updates", () => {
    const { state, ids } = workerWith(["A", "B"]);
    deepFreeze(state);
    const ctx = testContext("d").at(42);
    const outcome = unwrap(deployVersions(state, "B@20,A@80", ctx, { message: "canary" }));
    expect(outcome.deployment).toEqual({
      id: "d-1",
      createdAtMs: 42,
      source: "versions-deploy",
      message: "canary",
      entries: [
        { versionId: ids.B, percentage: 20 },
        { versionId: ids.A, percentage: 80 },
      ],
      codeUpdate: DEFAULT_CODE_UPDATE,
    });
    expect(outcome.version).toBeUndefined();
    expect(outcome.state.versions).toBe(state.versions);
    expect(outcome.state.deployments).toHaveLength(2);
    expect(activeDeployment(outcome.state)).toBe(outcome.deployment);
    // The other order is another deployment, and kept as written.
    const reversed = unwrap(deployVersions(state, "A@80,B@20", ctx)).deployment;
    expect(reversed.entries.map((entry) => entry.versionId)).toEqual([ids.A, ids.B]);
  });

  it("accepts tokens, spec items, labels, ids and tags", () => {
    const { state, ids } = workerWith(["A", "B"]);
    const ctx = testContext();
    const viaItems = unwrap(deployVersions(state, [{ ref: ids.B!, percentage: 30 }, { ref: "A", percentage: 70 }], ctx)).deployment;
    const viaTokens = unwrap(deployVersions(state, ["second@30", "first@70"], ctx, { labels: { first: ids.A!, second: ids.B! } })).deployment;
    expect(viaItems.entries).toEqual(viaTokens.entries);
  });

  it("keeps the requested code-update strategy", () => {
    const { state } = workerWith(["A", "B"]);
    const codeUpdate = { mode: "deferred", maxDelayMs: 5000 } as const;
    expect(unwrap(deployVersions(state, "B@50,A@50", testContext(), { codeUpdate })).deployment.codeUpdate).toEqual(codeUpdate);
    expect(unwrap(deployVersions(state, "B@50,A@50", testContext(), { codeUpdate: IMMEDIATE })).deployment.codeUpdate).toBe(IMMEDIATE);
  });

  it("defers code updates for up to 300 s when no strategy is given, as the platform does", () => {
    const { state } = workerWith(["A", "B"]);
    expect(unwrap(deployVersions(state, "B@100", testContext())).deployment.codeUpdate).toEqual({ mode: "deferred", maxDelayMs: 300_000 });
  });

  it("refuses more than 2 versions", () => {
    const { state } = workerWith(["A", "B", "C"]);
    const error = refusal(deployVersions(state, "A@30,B@30,C@40", testContext()), "too-many-versions");
    expect(error.details).toEqual({ count: 3 });
    expect(error.message).toContain("at most 2");
  });

  it("allows 3 versions when the limit says so", () => {
    const limits = withLimits({ maxVersionsPerDeployment: 3 });
    const { state } = workerWith(["A", "B", "C"], testContext(), {}, limits);
    expect(unwrap(deployVersions(state, "A@30,B@30,C@40", testContext(), {}, limits)).deployment.entries).toHaveLength(3);
  });

  it("refuses a version listed twice, by any name", () => {
    const { state, ids } = workerWith(["A", "B"]);
    refusal(deployVersions(state, "A@50,A@50", testContext()), "duplicate-version");
    const error = refusal(deployVersions(state, `A@50,${ids.A}@50`, testContext()), "duplicate-version");
    expect(error.details).toEqual({ ref: ids.A });
  });

  it("refuses no versions", () => {
    const { state } = workerWith(["A"]);
    refusal(deployVersions(state, [], testContext()), "no-versions");
    refusal(resolveEntries(state, []), "no-versions");
  });

  describe("percentages", () => {
    const { state } = workerWith(["A", "B"]);
    deepFreeze(state);

    it.each([
      ["B@101,A", 101],
      ["B@100.5,A@0", 100.5],
    ])("refuses %s with invalid-percentage", (spec, percentage) => {
      const error = refusal(deployVersions(state, spec, testContext()), "invalid-percentage");
      expect(error.details).toMatchObject({ ref: "B", percentage });
    });

    it("refuses a negative, infinite or missing percentage given as items", () => {
      refusal(deployVersions(state, [{ ref: "B", percentage: -0.001 }, { ref: "A", percentage: 100.001 }], testContext()), "invalid-percentage");
      refusal(deployVersions(state, [{ ref: "B", percentage: Number.NaN }, { ref: "A", percentage: 100 }], testContext()), "invalid-percentage");
      refusal(deployVersions(state, [{ ref: "A", percentage: Number.POSITIVE_INFINITY }], testContext()), "invalid-percentage");
      refusal(deployVersions(state, [{ ref: "A" }], testContext()), "invalid-percentage");
    });

    it("accepts up to 3 decimals, 0% and the 0 and 100 ends", () => {
      for (const spec of ["B@33.333,A@66.667", "B@0,A@100", "A@100,B@0", "B@0.001,A@99.999", "B@100"]) {
        unwrap(deployVersions(state, spec, testContext()));
      }
    });

    it("accepts a sum of 99.999 and 100.001 (wrangler's slack) but refuses 99.998 and 100.002", () => {
      unwrap(deployVersions(state, "B@19.999,A@80", testContext()));
      unwrap(deployVersions(state, "B@20.001,A@80", testContext()));
      unwrap(deployVersions(state, "A@99.999", testContext()));
      const low = refusal(deployVersions(state, "B@19.998,A@80", testContext()), "percentage-sum");
      expect(low.details).toEqual({ sum: 99.998 });
      expect(low.message).toContain("99.998%");
      const high = refusal(deployVersions(state, "B@20.002,A@80", testContext()), "percentage-sum");
      expect(high.details).toEqual({ sum: 100.002 });
      refusal(deployVersions(state, "B@20,A@20", testContext()), "percentage-sum");
    });

    it("limits no decimals by default; a scenario's decimals limit and tolerance apply when set", () => {
      // wrangler versions/deploy.ts checks only 0–100 and the sum; the API schema has no multipleOf.
      unwrap(deployVersions(state, "B@33.33335,A@66.66665", testContext()));
      const limits = withLimits({ percentageDecimals: 1, percentageSumTolerance: 0.5 });
      refusal(deployVersions(state, "B@20.05,A@79.95", testContext(), {}, limits), "invalid-percentage");
      unwrap(deployVersions(state, "B@20.1,A@79.5", testContext(), {}, limits));
    });
  });

  it("refuses unknown and ambiguous references", () => {
    const { state } = workerWith(["A", "B", "B"]);
    refusal(deployVersions(state, "Z@100", testContext()), "unknown-version");
    refusal(deployVersions(state, "B@50,A@50", testContext()), "ambiguous-version-tag");
  });

  describe("the deployable window", () => {
    it("refuses the 101st-oldest version with the default window of 100", () => {
      const state = manyVersions(101);
      const oldest = state.versions[0]!;
      const error = refusal(deployVersions(state, `${oldest.id}@100`, testContext()), "version-outside-window");
      expect(error.details).toEqual({ versionId: oldest.id, number: 1, oldestDeployableNumber: 2 });
      // Its tag is no longer found among deployable versions.
      refusal(deployVersions(state, "v1@100", testContext()), "unknown-version");
      unwrap(deployVersions(state, "v2@100", testContext()));
      expect(deployableVersions(state).map((version) => version.number)).toEqual(Array.from({ length: 100 }, (_, index) => index + 2));
      // With exactly 100 versions every one is deployable.
      unwrap(deployVersions(manyVersions(100), "v1@100", testContext()));
    });

    it("follows a custom window of 10", () => {
      const limits = withLimits({ deployableVersionWindow: 10 });
      const state = manyVersions(11, limits);
      const error = refusal(deployVersions(state, `${state.versions[0]!.id}@50,v11@50`, testContext(), {}, limits), "version-outside-window");
      expect(error.details).toMatchObject({ number: 1, oldestDeployableNumber: 2 });
      unwrap(deployVersions(state, "v2@50,v11@50", testContext(), {}, limits));
      expect(deployableVersions(state, limits)).toHaveLength(10);
      expect(checkDeployable(state, state.versions[0]!, limits).ok).toBe(false);
    });
  });
});

describe("fullDeploy", () => {
  it("is allowed as the first deployment and creates version 1 at 100%", () => {
    const ctx = testContext("x").at(7);
    const outcome = unwrap(fullDeploy(emptyWorker("w"), { tag: "A", message: "first" }, ctx, { message: "go" }));
    expect(outcome.version).toMatchObject({ id: "x-1", number: 1, tag: "A", message: "first", triggeredBy: "deploy", createdAtMs: 7 });
    expect(outcome.deployment).toEqual({
      id: "x-2",
      createdAtMs: 7,
      source: "deploy",
      message: "go",
      entries: [{ versionId: "x-1", percentage: 100 }],
      codeUpdate: DEFAULT_CODE_UPDATE,
    });
    expect(outcome.state.versions).toEqual([outcome.version]);
    expect(outcome.state.appliedMigrationTag).toBeUndefined();
    expect(outcome.state.migrationBarrierNumber).toBeUndefined();
  });

  it("refuses a tag that is too long, with nothing changed", () => {
    const { state } = workerWith(["A"]);
    deepFreeze(state);
    refusal(fullDeploy(state, { tag: "x".repeat(101) }, testContext()), "tag-too-long");
  });

  it("applies a migration at 100% and puts every older version behind the barrier", () => {
    const ctx = testContext();
    const { state, ids } = workerWith(["A", "B"], ctx);
    const migrated = unwrap(fullDeploy(state, { tag: "C", migrationTag: "v1" }, ctx));
    expect(migrated.state.appliedMigrationTag).toBe("v1");
    expect(migrated.state.migrationBarrierNumber).toBe(3);
    expect(activeDeployment(migrated.state)!.entries).toEqual([{ versionId: migrated.version!.id, percentage: 100 }]);
    const byId = refusal(deployVersions(migrated.state, `C@50,${ids.B}@50`, testContext()), "version-before-migration");
    expect(byId.details).toEqual({ versionId: ids.B, number: 2, migrationBarrierNumber: 3 });
    expect(byId.message).toContain('"v1"');
    refusal(deployVersions(migrated.state, `${ids.A}@100`, testContext()), "version-before-migration");
    // Tags only name deployable versions, so an old tag is unknown.
    refusal(deployVersions(migrated.state, "A@100", testContext()), "unknown-version");
    expect(deployableVersions(migrated.state).map((version) => version.tag)).toEqual(["C"]);
    // Versions uploaded after the migration (with the same tag) are deployable.
    const later = unwrap(uploadVersion(migrated.state, { tag: "D", migrationTag: "v1" }, ctx)).state;
    unwrap(deployVersions(later, "D@50,C@50", testContext()));
  });

  it("a full deploy with the applied migration tag moves no barrier", () => {
    const ctx = testContext();
    const migrated = unwrap(fullDeploy(emptyWorker("w"), { tag: "A", migrationTag: "v1" }, ctx)).state;
    const again = unwrap(fullDeploy(migrated, { tag: "B", migrationTag: "v1" }, ctx)).state;
    expect(again.migrationBarrierNumber).toBe(1);
    unwrap(deployVersions(again, "A@50,B@50", testContext()));
  });
});
