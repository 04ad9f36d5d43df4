/**
 * The rest of a run's life: deferred code updates on the virtual clock, uploading into a running
 * host (nothing that runs changes; the deployment that names the version loads it with a restart
 * reported as a simulator event, never as a platform reset), refusals as values, and persistence
 * across a restart of the host.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulator } from "../../src/runtime/index.js";
import { hitObject, startExample } from "./helpers.js";

// Docs "Durable Objects code updates" and "Lifecycle of a Durable Object": by default (deferred,
// 300 s) an active object keeps its code until it hibernates, 10 s after its last request, or
// until the delay ends if it stays busy; hibernation drops its in-memory state.
describe("deferred code updates on the lifecycle's clock", () => {
  it("are the default: a quiet live object keeps its old version until it hibernates 10 s after its last request", async () => {
    const sim = await startExample();
    try {
      const { A, B } = sim.labels as { A: string; B: string };
      expect((await hitObject(sim, "foo")).body.version?.id).toBe(A);
      const deployed = await sim.deploy("B@100");
      expect(deployed.ok).toBe(true);
      if (!deployed.ok) return;
      expect(deployed.value.effect.resets).toHaveLength(0);
      expect(deployed.value.effect.deferred.map((entry) => [entry.pending.to, entry.pending.deadlineMs - Date.UTC(2026, 0, 1)])).toEqual([[B, 300_000]]);
      expect((await hitObject(sim, "foo")).body.version?.id).toBe(A);
      expect((await sim.advance(9_999)).resets).toHaveLength(0);
      const hibernated = await sim.advance(1);
      expect(hibernated.resets.map((reset) => [reset.cause, reset.to, reset.live])).toEqual([["hibernated", B, false]]);
      expect(hibernated.ends.map((end) => [end.reason, end.versionId])).toEqual([["hibernated", A]]);
      const after = await hitObject(sim, "foo");
      expect(after.body.version?.id).toBe(B);
      expect(after.body.hits).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it("keep a busy object on its old version, same instance, until the deadline", async () => {
    const sim = await startExample();
    try {
      const { A, B } = sim.labels as { A: string; B: string; C: string };
      expect((await hitObject(sim, "foo")).body.version?.id).toBe(A);
      const deployed = await sim.deploy("B@100", { codeUpdate: { mode: "deferred", maxDelayMs: 30_000 } });
      expect(deployed.ok && deployed.value.effect.deferred.length).toBe(1);
      // A new object goes straight to B.
      expect((await hitObject(sim, "fresh")).body.version?.id).toBe(B);
      // foo gets a request every 8 s: never 10 s quiet, so it stays on A, in the same instance.
      for (let hits = 2; hits <= 4; hits++) {
        expect((await sim.advance(8_000)).resets.filter((reset) => reset.objectId === sim.objectId("foo"))).toEqual([]);
        const during = await hitObject(sim, "foo");
        expect([during.body.version?.id, during.body.hits]).toEqual([A, hits]);
      }
      const due = await sim.advance(6_000);
      expect(due.resets.map((reset) => [reset.cause, reset.to, reset.live])).toEqual([["deadline", B, true]]);
      const after = await hitObject(sim, "foo");
      expect(after.body.version?.id).toBe(B);
      expect(after.body.hits).toBe(1);
      expect(after.body.count).toBe(5);

      const traces = await sim.traces();
      expect(traces[traces.length - 1]!.EventTimestampMs).toBe(Date.UTC(2026, 0, 1) + 30_000);
    } finally {
      await sim.close();
    }
  });
});

// One host for both: the refused deployments change nothing, so they hold on the host the upload
// left as on a fresh one.
describe("uploads into a running host", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startExample();
  });
  afterAll(() => sim?.close());

  it("an upload leaves live instances alone; the deployment loads it with a restart the platform does not see", async () => {
    expect((await hitObject(sim, "foo")).body.hits).toBe(1);
    const uploaded = await sim.upload({ label: "C", tag: "c", vars: { GREETING: "Hey" } });
    expect(uploaded.ok).toBe(true);
    // Docs ("Gradual deployments"): uploading a version changes nothing that runs.
    expect(sim.events).toEqual([]);
    const live = await hitObject(sim, "foo");
    expect([live.body.version?.tag, live.body.hits, live.body.count]).toEqual(["a", 2, 2]);
    // The deployment loads C (a restart of workerd, a simulator event)...
    const deployed = await sim.deploy("C@100");
    expect(sim.events).toEqual([expect.objectContaining({ type: "restart", instancesLost: 1 })]);
    // ...which the simulated platform does not see: foo was active, so its update is deferred
    // (docs, "Durable Objects code updates"), and nothing resets yet.
    expect(deployed.ok && deployed.value.effect.deferred.map((entry) => entry.objectId)).toEqual([sim.objectId("foo")]);
    expect(deployed.ok && deployed.value.effect.resets).toEqual([]);
    const ledger = await sim.ledger();
    expect(ledger.objects[sim.objectId("foo")]!.live).toBe(true);
    expect(await (await sim.fetch("/")).text()).toBe("Hey from version c");
    expect((await hitObject(sim, "foo")).body.version?.tag).toBe("a");
    await sim.advance(300_000);
    const foo = await hitObject(sim, "foo");
    expect([foo.body.version?.tag, foo.body.count]).toEqual(["c", 4]);
  });

  it("refuses what the platform refuses, as values", async () => {
    const tooMany = await sim.deploy("A@50,B@30,A@20");
    expect(tooMany.ok).toBe(false);
    const sum = await sim.deploy("A@50,B@30");
    expect(!sum.ok && sum.error.code).toBe("percentage-sum");
    const unknown = await sim.deploy("nope@100");
    expect(!unknown.ok && unknown.error.code).toBe("unknown-version");
  });
});

describe("persistence", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-persist-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps versions, deployments, the ledger and storage across a restart of the host", async () => {
    const first = await startExample({ persistDir: dir });
    expect((await first.deploy("B@100")).ok).toBe(true);
    expect((await hitObject(first, "foo")).body.count).toBe(1);
    const labels = first.labels;
    await first.close();

    const second = await Simulator.start({ config: "wrangler.toml", persistDir: dir });
    try {
      expect(second.labels).toEqual(labels);
      const snapshot = await second.snapshot();
      expect(snapshot.worker.versions.map((version) => version.id)).toEqual([labels.A, labels.B]);
      expect(snapshot.worker.deployments).toHaveLength(2);
      expect(Object.keys(snapshot.ledger.objects)).toContain(second.objectId("foo"));
      const foo = await hitObject(second, "foo");
      expect(foo.body.version?.id).toBe(labels.B);
      expect(foo.body.count).toBe(2);
      // The id stream continues where it stopped: a new deployment gets a fresh, reproducible id.
      const again = await second.deploy(`${labels.A}@100`);
      expect(again.ok && snapshot.worker.deployments.every((d) => d.id !== again.value.deploymentId)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
