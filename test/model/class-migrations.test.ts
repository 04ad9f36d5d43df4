/**
 * Class migrations, as Cloudflare's "Durable Objects migrations" page describes them (rename keeps
 * the objects and their data, delete removes them, transfer comes from another Worker) and in the
 * order wrangler's `getDurableObjectClassNameToUseSQLiteMap` applies one migration's parts:
 * deletions, then renames, then new classes.
 */
import { describe, expect, it } from "vitest";
import { checkBoundClasses, classStorages, migrationEffects, type ClassMigration } from "../../src/model/class-migrations.js";
import { fullDeploy } from "../../src/model/deploy.js";
import { checkDeployable } from "../../src/model/deployable.js";
import { forgetObjects, emptyLedger, knowObject, applyDeployment } from "../../src/model/ledger.js";
import { refusal, testContext, unwrap, workerWith } from "../helpers/model-fixtures.js";

const v1: ClassMigration = { tag: "v1", new_sqlite_classes: ["Counter", "Scratch"] };
const v2: ClassMigration = { tag: "v2", renamed_classes: [{ from: "Counter", to: "Tally" }] };
const v3: ClassMigration = { tag: "v3", deleted_classes: ["Scratch"] };

function storagesOf(migrations: ClassMigration[]): Record<string, string> {
  return Object.fromEntries([...unwrap(classStorages(migrations))].map(([name, { storage }]) => [name, storage]));
}

describe("classStorages (docs: a rename moves the stored objects to the new class)", () => {
  it("a new class is its own storage; a renamed one keeps the storage it came from", () => {
    expect(storagesOf([v1])).toEqual({ Counter: "Counter", Scratch: "Scratch" });
    expect(storagesOf([v1, v2])).toEqual({ Tally: "Counter", Scratch: "Scratch" });
    expect(storagesOf([v1, v2, { tag: "v3", renamed_classes: [{ from: "Tally", to: "Score" }] }])).toEqual({ Score: "Counter", Scratch: "Scratch" });
  });

  it("keeps SQLite storage through a rename (wrangler's map does the same)", () => {
    expect(unwrap(classStorages([v1, v2])).get("Tally")).toEqual({ storage: "Counter", sqlite: true });
  });

  it("a deleted class is gone; one created again under its name starts on the deleted (emptied) storage", () => {
    expect(storagesOf([v1, v3])).toEqual({ Counter: "Counter" });
    expect(storagesOf([v1, v3, { tag: "v4", new_classes: ["Scratch"] }])).toEqual({ Counter: "Counter", Scratch: "Scratch" });
  });

  it("a class created under a name whose storage lives on under another name gets storage of its own", () => {
    expect(storagesOf([v1, v2, { tag: "v3", new_classes: ["Counter"] }])).toEqual({ Tally: "Counter", Scratch: "Scratch", Counter: "Counter@v3" });
  });

  it("applies one migration's deletions, then renames, then new classes (wrangler's order)", () => {
    expect(storagesOf([v1, { tag: "v2", new_classes: ["Scratch"], deleted_classes: ["Scratch"], renamed_classes: [{ from: "Counter", to: "Tally" }] }])).toEqual({
      Tally: "Counter",
      Scratch: "Scratch",
    });
  });

  it("refuses what wrangler refuses: deleting or renaming a class that does not exist, creating or renaming onto one that does", () => {
    refusal(classStorages([{ tag: "v1", deleted_classes: ["Nope"] }]), "invalid-migration");
    refusal(classStorages([{ tag: "v1", renamed_classes: [{ from: "Nope", to: "X" }] }]), "invalid-migration");
    refusal(classStorages([v1, { tag: "v2", new_classes: ["Counter"] }]), "invalid-migration");
    refusal(classStorages([v1, { tag: "v2", renamed_classes: [{ from: "Counter", to: "Scratch" }] }]), "invalid-migration");
  });

  it("refuses transferred_classes, naming the limitation (a transfer comes from another Worker)", () => {
    const error = refusal(classStorages([v1, { tag: "v2", transferred_classes: [{ from: "Room", from_script: "chat", to: "Lobby" }] }]), "transferred-classes-unsupported");
    expect(error.message).toMatch(/another Worker/);
  });

  it("refuses a binding to a class that a migration deleted or renamed away, but not one no migration names", () => {
    refusal(checkBoundClasses(["Counter"], [v1, v2]), "invalid-migration");
    refusal(checkBoundClasses(["Scratch"], [v1, v3]), "invalid-migration");
    expect(checkBoundClasses(["Tally", "Legacy"], [v1, v2]).ok).toBe(true);
  });
});

describe("migrationEffects (what a full deploy applies, after the tag the platform has)", () => {
  it("applies only the migrations after the applied tag", () => {
    expect(unwrap(migrationEffects([v1, v2, v3], "v1"))).toEqual({ renamed: [{ from: "Counter", to: "Tally" }], deleted: [{ className: "Scratch", storage: "Scratch" }] });
    expect(unwrap(migrationEffects([v1, v2, v3], "v2"))).toEqual({ renamed: [], deleted: [{ className: "Scratch", storage: "Scratch" }] });
    expect(unwrap(migrationEffects([v1, v2, v3], "v3"))).toEqual({ renamed: [], deleted: [] });
  });

  it("names the storage a renamed-then-deleted class's data is in", () => {
    const deleteTally: ClassMigration = { tag: "v3", deleted_classes: ["Tally"] };
    expect(unwrap(migrationEffects([v1, v2, deleteTally], "v2")).deleted).toEqual([{ className: "Tally", storage: "Counter" }]);
  });

  it("applies every migration when the applied tag is absent or unknown (wrangler then applies all it has)", () => {
    expect(unwrap(migrationEffects([v1, v2], undefined)).renamed).toHaveLength(1);
    expect(unwrap(migrationEffects([v1, v2], "gone")).renamed).toHaveLength(1);
  });
});

describe("the migration barrier covers every kind of migration", () => {
  it.each([
    ["new classes", { tag: "m", new_classes: ["Extra"] }],
    ["renamed classes", v2],
    ["deleted classes", v3],
  ] as const)("a full deploy with %s puts older versions behind the barrier", (_kind, migration) => {
    const { state, ids } = workerWith(["A", "B"]);
    const migrated = unwrap(fullDeploy(state, { tag: "C", migrationTag: migration.tag }, testContext())).state;
    refusal(checkDeployable(migrated, migrated.versions.find((version) => version.id === ids.B)!), "version-before-migration");
  });
});

describe("forgetObjects (docs: deleting a class deletes its objects)", () => {
  it("drops the objects so no later deployment assigns them; their past stays in the logs", () => {
    const { state } = workerWith(["A"]);
    const ledger = emptyLedger("s");
    applyDeployment(ledger, state.deployments[0]!, 0);
    knowObject(ledger, { id: "a", slot: 1 });
    knowObject(ledger, { id: "b", slot: 2 });
    forgetObjects(ledger, ["a"]);
    expect(Object.keys(ledger.objects)).toEqual(["b"]);
  });
});
