/**
 * The docs' progression over foo, bar and baz, end to end in real workerd: A 100% → B 20%/A 80%
 * → B 50%/A 50% → B 100%. Each object runs the version the pure model assigns, resets at most
 * once, keeps counting across versions (storage survives) and restarts its in-memory hits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/runtime/index.js";
import { activeDeploymentOf, hitObject, modelVersionOf, startExample } from "./helpers.js";

const NAMES = ["foo", "bar", "baz"];
const STEPS = ["A@100", "B@20,A@80", "B@50,A@50", "B@100"];

describe("the foo/bar/baz A→B progression", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startExample();
  });
  afterAll(async () => {
    await sim.close();
  });

  it("follows the model step by step, with one reset at most per object", async () => {
    const counts = new Map<string, number>();
    const hits = new Map<string, number>();
    const versions = new Map<string, string>();
    for (const [index, step] of STEPS.entries()) {
      if (index > 0) {
        const deployed = await sim.deploy(step, { codeUpdate: { mode: "immediate" } });
        expect(deployed.ok, JSON.stringify(deployed)).toBe(true);
      }
      const deployment = await activeDeploymentOf(sim);
      for (const name of NAMES) {
        for (let repeat = 0; repeat < 2; repeat++) {
          const answer = await hitObject(sim, name);
          expect(answer.status).toBe(200);
          const expected = modelVersionOf(deployment, sim.objectId(name));
          expect(answer.body.version?.id, `${name} at ${step}`).toBe(expected);
          // The header names the Worker that served; the object's version is its own (above).
          expect(answer.workerVersion).toBe(answer.servedBy);
          // Storage survives every version change; the count goes on.
          expect(answer.body.count).toBe((counts.get(name) ?? 0) + 1);
          counts.set(name, answer.body.count!);
          // In-memory state restarts exactly when the object's version changed.
          const moved = versions.has(name) && versions.get(name) !== expected && repeat === 0;
          const previousHits = moved ? 0 : (hits.get(name) ?? 0);
          expect(answer.body.hits, `${name} hits at ${step}`).toBe(previousHits + 1);
          hits.set(name, answer.body.hits!);
          versions.set(name, expected);
        }
      }
    }
    const ledger = await sim.ledger();
    const ids = NAMES.map((name) => sim.objectId(name));
    for (const id of ids) {
      const resets = ledger.resets.filter((reset) => reset.objectId === id);
      expect(resets.length).toBeLessThanOrEqual(1);
      expect(ledger.objects[id]?.running).toBe(sim.labels.B);
    }
    // Every object ends on B, so each one moved exactly once.
    expect(ledger.resets.filter((reset) => ids.includes(reset.objectId))).toHaveLength(NAMES.length);
  });

  it("greets with the version that served the request", async () => {
    const response = await sim.fetch("/");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("Howdy from version b");
    expect(response.headers.get("Worker-Version")).toBe(sim.labels.B);
  });

  it("records one trace event per invocation, with the version that ran it", async () => {
    const traces = await sim.traces();
    const http = traces.filter((event) => event.DurableObject === undefined);
    const objects = traces.filter((event) => event.DurableObject !== undefined);
    expect(http.length).toBe(NAMES.length * 2 * STEPS.length + 1);
    expect(objects.length).toBe(NAMES.length * 2 * STEPS.length);
    for (const event of traces) {
      expect(event.ScriptName).toBe("hello");
      expect(event.Outcome).toBe("ok");
      expect([sim.labels.A, sim.labels.B]).toContain(event.ScriptVersion.id);
      expect(event.Event.Request?.Method).toBe("GET");
    }
    expect(objects.every((event) => event.DurableObject?.Class === "Counter")).toBe(true);
    const ndjson = await sim.tracesNdjson();
    expect(ndjson.trim().split("\n")).toHaveLength(traces.length);
  });
});
