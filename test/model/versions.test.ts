import { describe, expect, it } from "vitest";
import { fullDeploy } from "../../src/model/deploy.js";
import { withLimits } from "../../src/model/limits.js";
import { emptyWorker } from "../../src/model/types.js";
import { utf8ByteLength } from "../../src/model/utf8.js";
import { buildVersion, findVersion, introducesMigration, latestVersion, uploadVersion } from "../../src/model/versions.js";
import { deepFreeze, refusal, testContext, unwrap, workerWith } from "../helpers/model-fixtures.js";

describe("uploadVersion", () => {
  it("numbers versions 1, 2, 3 and records id, trigger, time and inputs", () => {
    const ctx = testContext("v");
    let state = emptyWorker("w");
    for (const [index, tag] of ["a", "b", "c"].entries()) {
      const outcome = unwrap(uploadVersion(state, { tag, vars: { N: String(index) }, source: `src-${tag}` }, ctx.at(index * 10)));
      state = outcome.state;
      expect(outcome.version).toEqual({
        id: `v-${index + 1}`,
        number: index + 1,
        tag,
        triggeredBy: "upload",
        createdAtMs: index * 10,
        vars: { N: String(index) },
        secrets: {},
        source: `src-${tag}`,
      });
    }
    expect(state.versions.map((version) => version.number)).toEqual([1, 2, 3]);
    expect(state.deployments).toEqual([]);
    expect(latestVersion(state)?.tag).toBe("c");
    expect(findVersion(state, "v-2")?.tag).toBe("b");
    expect(findVersion(state, "nope")).toBeUndefined();
  });

  it("never deploys and never changes its input state", () => {
    const { state } = workerWith(["A"]);
    deepFreeze(state);
    const outcome = unwrap(uploadVersion(state, { tag: "B" }, testContext("x")));
    expect(outcome.state.deployments).toBe(state.deployments);
    expect(state.versions).toHaveLength(1);
    expect(outcome.state.versions).toHaveLength(2);
  });

  it("inherits the newest version's secrets and lets the upload override some", () => {
    const ctx = testContext();
    let state = unwrap(uploadVersion(emptyWorker("w"), { secrets: { KEY: "1", OTHER: "x" } }, ctx)).state;
    state = unwrap(uploadVersion(state, { secrets: { KEY: "2" } }, ctx)).state;
    const third = unwrap(uploadVersion(state, {}, ctx)).version;
    expect(state.versions[1]!.secrets).toEqual({ KEY: "2", OTHER: "x" });
    expect(third.secrets).toEqual({ KEY: "2", OTHER: "x" });
    // Vars are not inherited: each upload carries its own config.
    expect(third.vars).toEqual({});
  });

  describe("tags", () => {
    it("accepts a tag of exactly 100 bytes, also when multibyte", () => {
      const ascii = "t".repeat(100);
      const multibyte = "界".repeat(33) + "x"; // 99 + 1 bytes
      expect(utf8ByteLength(multibyte)).toBe(100);
      expect(unwrap(uploadVersion(emptyWorker("w"), { tag: ascii }, testContext())).version.tag).toBe(ascii);
      expect(unwrap(uploadVersion(emptyWorker("w"), { tag: multibyte }, testContext())).version.tag).toBe(multibyte);
    });

    it("refuses 101 bytes with tag-too-long, counting bytes rather than characters", () => {
      const state = deepFreeze(emptyWorker("w"));
      for (const tag of ["t".repeat(101), "界".repeat(34), "😀".repeat(25) + "x", "é".repeat(51)]) {
        expect(tag.length).toBeLessThanOrEqual(101);
        const error = refusal(uploadVersion(state, { tag }, testContext()), "tag-too-long");
        expect(error.details).toEqual({ tag, maxBytes: 100 });
        expect(error.message).toContain(`${utf8ByteLength(tag)} bytes`);
      }
    });

    it("follows a custom tag limit", () => {
      const limits = withLimits({ maxTagBytes: 3 });
      expect(unwrap(uploadVersion(emptyWorker("w"), { tag: "abc" }, testContext(), limits)).version.tag).toBe("abc");
      refusal(uploadVersion(emptyWorker("w"), { tag: "é界" }, testContext(), limits), "tag-too-long");
    });
  });

  describe("messages", () => {
    it("keeps a message of 1000 bytes and truncates a longer one to 1000 bytes", () => {
      const exact = "m".repeat(1000);
      expect(unwrap(uploadVersion(emptyWorker("w"), { message: exact }, testContext())).version.message).toBe(exact);
      const long = "m".repeat(1500);
      expect(unwrap(uploadVersion(emptyWorker("w"), { message: long }, testContext())).version.message).toBe("m".repeat(1000));
    });

    it("never splits a multibyte character when truncating", () => {
      // 999 ASCII bytes then a 3-byte character: it does not fit and is dropped whole.
      const message = "m".repeat(999) + "界" + "tail";
      const kept = unwrap(uploadVersion(emptyWorker("w"), { message }, testContext())).version.message!;
      expect(kept).toBe("m".repeat(999));
      // A 4-byte emoji straddling the limit.
      const emoji = "m".repeat(998) + "😀";
      expect(unwrap(uploadVersion(emptyWorker("w"), { message: emoji }, testContext())).version.message).toBe("m".repeat(998));
      const all = "é".repeat(600); // 1200 bytes -> 500 whole characters
      expect(unwrap(uploadVersion(emptyWorker("w"), { message: all }, testContext())).version.message).toBe("é".repeat(500));
    });

    it("leaves the message out when none is given", () => {
      expect(unwrap(uploadVersion(emptyWorker("w"), {}, testContext())).version).not.toHaveProperty("message");
    });
  });

  describe("migrations (10211)", () => {
    it("refuses an upload that adds a migration, with nothing changed", () => {
      const state = deepFreeze(workerWith(["A"]).state);
      const error = refusal(uploadVersion(state, { migrationTag: "v1" }, testContext()), "10211");
      expect(error.details).toEqual({ migrationTag: "v1", appliedMigrationTag: undefined });
      expect(state.versions).toHaveLength(1);
    });

    it("refuses a migration tag that differs from the applied one", () => {
      const ctx = testContext();
      const migrated = unwrap(fullDeploy(emptyWorker("w"), { migrationTag: "v1" }, ctx)).state;
      const error = refusal(uploadVersion(migrated, { migrationTag: "v2" }, ctx), "10211");
      expect(error.details).toMatchObject({ migrationTag: "v2", appliedMigrationTag: "v1" });
    });

    it("allows the migration tag that is already applied, and no tag at all", () => {
      const ctx = testContext();
      const migrated = unwrap(fullDeploy(emptyWorker("w"), { migrationTag: "v1" }, ctx)).state;
      const same = unwrap(uploadVersion(migrated, { migrationTag: "v1" }, ctx));
      expect(same.version.migrationTag).toBe("v1");
      expect(same.state.appliedMigrationTag).toBe("v1");
      expect(unwrap(uploadVersion(same.state, {}, ctx)).version.number).toBe(3);
    });

    it("introducesMigration compares with the applied tag", () => {
      const state = { ...emptyWorker("w"), appliedMigrationTag: "v1" };
      expect(introducesMigration(state, undefined)).toBe(false);
      expect(introducesMigration(state, "v1")).toBe(false);
      expect(introducesMigration(state, "v2")).toBe(true);
      expect(introducesMigration(emptyWorker("w"), "v1")).toBe(true);
    });
  });

  it("buildVersion records its trigger and does not look at migrations", () => {
    const version = unwrap(buildVersion(emptyWorker("w"), { migrationTag: "v9" }, "secret", testContext()));
    expect(version).toMatchObject({ number: 1, triggeredBy: "secret", migrationTag: "v9" });
  });
});
