/**
 * A host started with spare slots loads a version uploaded later into one, with no restart of
 * workerd: the live instance keeps its in-memory state, and the slot's version serves requests,
 * objects, bulk traffic and traces exactly as a version loaded at start. A version that does not
 * fit (another compatibility date, an entrypoint class the slot could not serve) is loaded by a
 * restart that says why.
 */
import { writeFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/runtime/index.js";
import { hitObject, startExample } from "./helpers.js";

const OLDER_CONFIG = "test/runtime/.spare-slots-older.toml";
const ENTRYPOINT_MAIN = "test/runtime/.spare-slots-entrypoint.ts";

describe("spare slots", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startExample({ spareSlots: 1 });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(OLDER_CONFIG, { force: true });
    rmSync(ENTRYPOINT_MAIN, { force: true });
  });

  it("load an uploaded version with no restart, as a version of its own", async () => {
    expect((await hitObject(sim, "foo")).body.hits).toBe(1);
    const uploaded = await sim.upload({ label: "C", tag: "c", vars: { GREETING: "Hey" } });
    expect(uploaded.ok).toBe(true);
    const deployed = await sim.deploy("C@100");
    expect(sim.events).toEqual([]);
    expect(deployed.ok && deployed.value.effect.deferred.map((entry) => entry.objectId)).toEqual([sim.objectId("foo")]);
    // foo keeps its instance: in-memory hits go on.
    const live = await hitObject(sim, "foo");
    expect([live.body.version?.tag, live.body.hits, live.body.count]).toEqual(["a", 2, 2]);
    expect(await (await sim.fetch("/")).text()).toBe("Hey from version c");
    // A new object runs C, in the slot.
    expect((await hitObject(sim, "bar")).body.version?.tag).toBe("c");
    const bulk = await sim.bulk({ requests: 20, objectNames: ["bar", "baz"], objectPath: "/objects/{name}" });
    expect(bulk.byVersion).toEqual({ [uploaded.ok ? uploaded.value.id : ""]: 20 });
    const traces = await sim.traces();
    expect(traces.some((event) => event.ScriptVersion.tag === "c" && event.DurableObject?.Id === sim.objectId("bar"))).toBe(true);
    await sim.advance(300_000);
    const switched = await hitObject(sim, "foo");
    expect([switched.body.version?.tag, switched.body.hits, switched.body.count]).toEqual(["c", 1, 3]);
  });

  it("restart workerd when no slot is left, and say why; the restart brings fresh slots", async () => {
    writeFileSync(OLDER_CONFIG, 'name = "hello"\nmain = "../../src/example/worker.ts"\ncompatibility_date = "2026-03-01"\n\n[[durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "Counter"\n\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["Counter"]\n\n[version_metadata]\nbinding = "CF_VERSION_METADATA"\n');
    const uploaded = await sim.upload({ label: "D", tag: "d", config: OLDER_CONFIG });
    expect(uploaded.ok).toBe(true);
    await sim.deploy("D@100", { codeUpdate: { mode: "immediate" } });
    expect(sim.events).toEqual([expect.objectContaining({ type: "restart", reason: expect.stringContaining("1 version(s) to load, 0 spare slot(s) left") })]);
    expect((await hitObject(sim, "foo")).body.version?.tag).toBe("d");
    // The fresh slot copies D, the newest version: a version of the other config does not fit it.
    const back = await sim.upload({ label: "E", tag: "e" });
    expect(back.ok).toBe(true);
    await sim.deploy("E@100", { codeUpdate: { mode: "immediate" } });
    expect(sim.events[1]?.reason).toContain("version e (number 5) does not fit a spare slot: its compatibility_date (2026-04-01) differs from 2026-03-01");
    expect((await hitObject(sim, "foo")).body.version?.tag).toBe("e");
  });

  it("restart for a version that exports an entrypoint class a slot could not serve", async () => {
    writeFileSync(ENTRYPOINT_MAIN, 'import { WorkerEntrypoint } from "cloudflare:workers";\nexport { default, Counter } from "../../src/example/worker.ts";\nexport class Greeter extends WorkerEntrypoint {\n  greet() {\n    return "hi";\n  }\n}\n');
    const uploaded = await sim.upload({ label: "F", tag: "f", main: ENTRYPOINT_MAIN });
    expect(uploaded.ok).toBe(true);
    await sim.deploy("F@100", { codeUpdate: { mode: "immediate" } });
    expect(sim.events[2]?.reason).toContain("version f (number 6) does not fit a spare slot: it exports the entrypoint class Greeter, which a spare slot cannot serve");
    expect((await hitObject(sim, "foo")).body.version?.tag).toBe("f");
  });
});
