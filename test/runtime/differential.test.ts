/**
 * Differential: 1,000 objects over a 4-step progression, with traffic generated inside workerd.
 * The version that actually ran each object (from its trace events) equals the pure model's
 * assignment at every step, and the ledger agrees too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/runtime/index.js";
import { activeDeploymentOf, modelVersionOf, startExample } from "./helpers.js";

const NAMES = Array.from({ length: 1000 }, (_, index) => `object-${index}`);
const STEPS = ["A@100", "B@10,A@90", "B@60,A@40", "A@30,B@70"];

describe("host assignments against the model", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startExample({ seed: "differential" });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("runs every object on the model's version at every step", async () => {
    let seen = (await sim.traces()).length;
    for (const [index, step] of STEPS.entries()) {
      if (index > 0) expect((await sim.deploy(step, { codeUpdate: { mode: "immediate" } })).ok).toBe(true);
      const deployment = await activeDeploymentOf(sim);
      const result = await sim.bulk({ requests: NAMES.length, objectNames: NAMES, order: "sequential", concurrency: 32 });
      expect(result.byStatus).toEqual({ "200": NAMES.length });

      const traces = await sim.traces();
      const ran = new Map<string, string>();
      for (const event of traces.slice(seen)) {
        if (event.DurableObject !== undefined) ran.set(event.DurableObject.Id, event.ScriptVersion.id);
      }
      seen = traces.length;
      expect(ran.size).toBe(NAMES.length);
      const ledger = await sim.ledger();
      let mismatches = 0;
      for (const name of NAMES) {
        const id = sim.objectId(name);
        const expected = modelVersionOf(deployment, id);
        if (ran.get(id) !== expected || ledger.objects[id]?.running !== expected) mismatches++;
      }
      expect(mismatches, `step ${step}`).toBe(0);
    }
  });
});
