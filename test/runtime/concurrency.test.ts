/**
 * Requests in flight when a deployment resets their object. Nothing is lost while deployments
 * switch under load: many concurrent requests to one object,
 * across deployments that move it back and forth. Every request either succeeds or fails with
 * the reset error, the final stored count equals the successes, and no two instances of the
 * object were ever live at once.
 *
 * Before each deployment some requests are held inside the object and the deployment waits for
 * them (the gated Counter's gate), so every deployment resets requests in flight, whatever the
 * timing of the rest of the load.
 *
 * And the shutdown of a reset instance (src/model/shutdown.ts, docs "Lifecycle of a Durable
 * Object", Shutdown behavior): new requests reach a new instance at once, a request in flight that
 * stays off storage finishes on the old code, one that touches storage is stopped with the reset
 * error, and one still running when the 30 s grace period ends on the virtual clock is stopped then.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESET_REASON, type Simulator } from "../../src/runtime/index.js";
import { hitObject, modelVersionOf, startExample, type ObjectAnswer } from "./helpers.js";

const GATED_COUNTER = fileURLToPath(new URL("./workers/gated-counter.worker.ts", import.meta.url));
/** Requests held in the object when each deployment resets it. */
const HELD_PER_STEP = 4;

/** A name whose object moves between A and B at 50/50 (so each switch below resets it). */
function movingName(sim: Simulator): string {
  const split = { entries: [{ versionId: sim.labels.B!, percentage: 50 }, { versionId: sim.labels.A!, percentage: 50 }] };
  for (let index = 0; ; index++) {
    const name = `x${index}`;
    if (modelVersionOf(split, sim.objectId(name)) === sim.labels.B) return name;
  }
}

describe("requests in flight while deployments switch", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startExample({
      versions: [
        { label: "A", tag: "a", main: GATED_COUNTER },
        { label: "B", tag: "b", vars: { GREETING: "Howdy" }, main: GATED_COUNTER },
      ],
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("loses nothing and never runs two instances of one object", async () => {
    const name = movingName(sim);
    // Declared, so the ledger follows it from the first deployment on, however late its first request is.
    await sim.declareObjects([name]);
    const steps = ["B@50,A@50", "A@100", "B@100", "A@50,B@50", "B@100", "A@100"];
    let successes = 0;
    let resets = 0;
    let other = 0;
    let heldResets = 0;
    /** Counts an answer; true when it is the reset error. */
    const count = (answer: ObjectAnswer): boolean => {
      const reset = answer.status === 503 && answer.body.durableObjectReset === true && answer.body.error === RESET_REASON;
      if (answer.status === 200) successes++;
      else if (reset) resets++;
      else other++;
      return reset;
    };
    const load = async (): Promise<void> => {
      for (let i = 0; i < 25; i++) count(await hitObject(sim, `${name}`, { method: "POST" }, "?wait=3"));
    };
    const hold = async (): Promise<void> => {
      if (count(await hitObject(sim, name, { method: "POST" }, "?hold"))) heldResets++;
    };
    const deploys = (async () => {
      for (const step of steps) {
        const held = Array.from({ length: HELD_PER_STEP }, hold);
        // The gate opens once every held request is inside the object's current instance.
        const gate = await hitObject(sim, name, undefined, `?held=${HELD_PER_STEP}`);
        expect(gate.status).toBe(200);
        const deployed = await sim.deploy(step, { codeUpdate: { mode: "immediate" } });
        expect(deployed.ok).toBe(true);
        await Promise.all(held);
      }
    })();
    await Promise.all([...Array.from({ length: 8 }, load), deploys]);
    expect(other).toBe(0);
    expect(successes + resets).toBe(8 * 25 + steps.length * HELD_PER_STEP);
    // Every held request was in flight when a deployment reset its object.
    expect(heldResets).toBe(steps.length * HELD_PER_STEP);

    const last = await hitObject(sim, name);
    expect(last.status).toBe(200);
    expect(last.body.count).toBe(successes + 1);

    const snapshot = await sim.snapshot();
    const id = sim.objectId(name);
    const events = snapshot.instanceEvents.filter((event) => event.objectId === id);
    expect(events.some((event) => event.overlapsWith !== undefined)).toBe(false);
    expect(snapshot.instanceCounts.overlapping).toBe(0);
    // The window holds this whole run's events (far fewer than its size), so the replay below sees them all.
    expect(snapshot.instanceEvents).toHaveLength(snapshot.instanceCounts.started + snapshot.instanceCounts.refused + snapshot.instanceCounts.stopped);
    // Replaying starts and stops: at most one live instance at any point.
    let live = 0;
    for (const event of events) {
      if (event.kind === "start") live++;
      if (event.kind === "stop") live--;
      expect(live).toBeLessThanOrEqual(1);
    }
    // Each deployment that changed the object's version reset it once (here: every one of them).
    const objectResets = snapshot.ledger.resets.filter((reset) => reset.objectId === id);
    expect(objectResets.length).toBe(steps.length);
    expect(resets).toBeGreaterThan(0);
  });

  it("lets in-flight work finish off storage, stops it on storage, and ends it with the grace period", async () => {
    const post = { method: "POST" };
    expect((await hitObject(sim, "foo", post)).body.count).toBe(1);
    const read = hitObject(sim, "foo", post, "?hold=read");
    const count = hitObject(sim, "foo", post, "?hold=count");
    const forever = hitObject(sim, "foo", post, "?hold=forever");
    expect((await hitObject(sim, "foo", undefined, "?held=3")).status).toBe(200);

    // A keeps 0%, so a version override can still reach its isolate to release the held requests.
    const deployed = await sim.deploy("B@100,A@0", { codeUpdate: { mode: "immediate" } });
    expect(deployed.ok).toBe(true);
    // A new request reaches a new instance on B while the old one still has work in flight.
    const fresh = await hitObject(sim, "foo", post);
    expect(fresh).toMatchObject({ status: 200, body: { version: { tag: "b" }, count: 2, hits: 1 } });

    const release = await sim.fetch("/release", { headers: { "Cloudflare-Workers-Version-Overrides": `${sim.workerName}="${sim.labels.A}"` } });
    expect(await release.text()).toBe("released");
    expect(await read).toMatchObject({ status: 200, body: { finished: true, version: { tag: "a" } } });
    expect(await count).toMatchObject({ status: 503, body: { error: RESET_REASON, durableObjectReset: true } });

    // Still running at the end of the 30 s grace period: stopped then, on the virtual clock.
    let settled = false;
    void forever.then(() => (settled = true));
    await sim.advance(29_999);
    expect(settled).toBe(false);
    await sim.advance(1);
    expect(await forever).toMatchObject({ status: 503, body: { error: RESET_REASON, durableObjectReset: true } });

    // The stopped write never happened: the stored count has only the two counted requests.
    expect((await hitObject(sim, "foo", post)).body.count).toBe(3);
    const resets = (await sim.ledger()).resets.filter((reset) => reset.objectId === sim.objectId("foo"));
    expect(resets).toHaveLength(1);
  });
});
