import { describe, expect, it } from "vitest";
import {
  advanceLedger,
  applyDeployment,
  emptyLedger,
  knowObject,
  liveObjects,
  objectIdle,
  resetCounts,
  touchObject,
  type LedgerState,
} from "../../src/model/ledger.js";
import { deployment } from "../helpers/model-fixtures.js";

const DEFERRED = { mode: "deferred", maxDelayMs: 1000 } as const;

/** A ledger on [A@100] with objects at slots 10 000 ("lo"), 30 000 ("mid") and 90 000 ("hi"). */
function ledgerOnA(): LedgerState {
  const ledger = emptyLedger();
  applyDeployment(ledger, deployment([["A", 100]], undefined, "d0"), 0);
  knowObject(ledger, { id: "lo", name: "low", slot: 10_000 });
  knowObject(ledger, { id: "mid", slot: 30_000 });
  knowObject(ledger, { id: "hi", slot: 90_000 });
  return ledger;
}

describe("knowObject", () => {
  it("needs an active deployment", () => {
    expect(() => knowObject(emptyLedger(), { id: "x", slot: 0 })).toThrow(/deployed/);
  });

  it("assigns the active deployment's version and starts idle, with a history", () => {
    const ledger = emptyLedger();
    applyDeployment(ledger, deployment([["B", 20], ["A", 80]], undefined, "d1"), 0);
    expect(knowObject(ledger, { id: "x", name: "foo", slot: 19_999 })).toEqual({
      id: "x",
      name: "foo",
      slot: 19_999,
      assigned: "B",
      running: "B",
      live: false,
      history: [{ deploymentId: "d1", versionId: "B" }],
    });
    expect(knowObject(ledger, { id: "y", slot: 20_000 }).assigned).toBe("A");
    expect(ledger.resets).toEqual([]);
  });

  it("returns a known object unchanged", () => {
    const ledger = ledgerOnA();
    const first = ledger.objects.lo!;
    expect(knowObject(ledger, { id: "lo", slot: 99_999 })).toBe(first);
    expect(first.slot).toBe(10_000);
  });
});

describe("applyDeployment, immediate", () => {
  it("moves reassigned objects, resets them at once and records history", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 5);
    const effect = applyDeployment(ledger, deployment([["B", 20], ["A", 80]], undefined, "d1"), 100);
    expect(effect).toEqual({
      deploymentId: "d1",
      moves: [{ objectId: "lo", from: "A", to: "B" }],
      resets: [{ objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 100, cause: "code-update", live: true }],
      deferred: [],
    });
    expect(ledger.objects.lo).toMatchObject({ assigned: "B", running: "B", live: false });
    expect(ledger.objects.lo!.history).toEqual([
      { deploymentId: "d0", versionId: "A" },
      { deploymentId: "d1", versionId: "B" },
    ]);
    expect(ledger.objects.mid!.history.map((entry) => entry.versionId)).toEqual(["A", "A"]);
    expect(ledger.deployment?.id).toBe("d1");
  });

  it("records live: false for an object with no instance", () => {
    const ledger = ledgerOnA();
    const effect = applyDeployment(ledger, deployment([["B", 50], ["A", 50]]), 7);
    expect(effect.resets.map((reset) => [reset.objectId, reset.live])).toEqual([
      ["lo", false],
      ["mid", false],
    ]);
    expect(resetCounts(ledger)).toEqual(
      new Map([
        ["lo", 1],
        ["mid", 1],
      ]),
    );
  });

  it("moves nothing when the assignment is unchanged", () => {
    const ledger = ledgerOnA();
    const effect = applyDeployment(ledger, deployment([["A", 100], ["B", 0]]), 1);
    expect(effect.moves).toEqual([]);
    expect(effect.resets).toEqual([]);
  });
});

describe("applyDeployment, deferred", () => {
  it("lets a live moved object keep its version until it goes idle", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    const effect = applyDeployment(ledger, deployment([["B", 50], ["A", 50]], DEFERRED, "d1"), 100);
    // mid is not live: it switches at once; lo waits.
    expect(effect.moves.map((move) => move.objectId)).toEqual(["lo", "mid"]);
    expect(effect.resets).toEqual([{ objectId: "mid", deploymentId: "d1", from: "A", to: "B", atMs: 100, cause: "code-update", live: false }]);
    expect(effect.deferred).toEqual([{ objectId: "lo", pending: { to: "B", deploymentId: "d1", deadlineMs: 1100 } }]);
    expect(ledger.objects.lo).toMatchObject({ assigned: "B", running: "A", live: true });
    // Requests before the deadline keep running A.
    expect(touchObject(ledger, "lo", 500)).toEqual({ versionId: "A" });
    // Going idle applies the switch; the instance is already gone, so nothing live is dropped.
    const reset = objectIdle(ledger, "lo", 600);
    expect(reset).toEqual({ objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 600, cause: "hibernated", live: false });
    expect(ledger.objects.lo).toMatchObject({ running: "B", live: false });
    expect(ledger.objects.lo!.pending).toBeUndefined();
    expect(advanceLedger(ledger, 5000)).toEqual([]);
  });

  it("switches a waiting object when the clock passes its deadline", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    touchObject(ledger, "mid", 0);
    applyDeployment(ledger, deployment([["B", 50], ["A", 50]], DEFERRED, "d1"), 100);
    expect(advanceLedger(ledger, 1099)).toEqual([]);
    const resets = advanceLedger(ledger, 2000);
    // In deadline order, then by id; stamped with the deadline, not the time advanced to.
    expect(resets).toEqual([
      { objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 1100, cause: "deadline", live: true },
      { objectId: "mid", deploymentId: "d1", from: "A", to: "B", atMs: 1100, cause: "deadline", live: true },
    ]);
    expect(liveObjects(ledger)).toEqual([]);
    expect(ledger.resets).toEqual(resets);
  });

  it("applies an overdue switch on the next request before serving it", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    applyDeployment(ledger, deployment([["B", 50], ["A", 50]], DEFERRED, "d1"), 100);
    const served = touchObject(ledger, "lo", 1100);
    expect(served).toEqual({
      versionId: "B",
      reset: { objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 1100, cause: "deadline", live: true },
    });
    // The new instance is live afterwards.
    expect(liveObjects(ledger)).toEqual(["lo"]);
    expect(touchObject(ledger, "lo", 1200)).toEqual({ versionId: "B" });
  });

  it("clears a pending switch without a reset when the object is moved back first", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    applyDeployment(ledger, deployment([["B", 50], ["A", 50]], DEFERRED, "d1"), 100);
    expect(ledger.objects.lo!.pending).toBeDefined();
    const effect = applyDeployment(ledger, deployment([["A", 100]], DEFERRED, "d2"), 200);
    expect(effect.moves).toContainEqual({ objectId: "lo", from: "B", to: "A" });
    expect(effect.resets.map((reset) => reset.objectId)).toEqual(["mid"]);
    expect(effect.deferred).toEqual([]);
    expect(ledger.objects.lo).toMatchObject({ assigned: "A", running: "A", live: true });
    expect(ledger.objects.lo!.pending).toBeUndefined();
    expect(advanceLedger(ledger, 10_000)).toEqual([]);
    expect(ledger.resets.filter((reset) => reset.objectId === "lo")).toEqual([]);
  });

  it("an immediate deployment resets a waiting object at once", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "hi", 0);
    applyDeployment(ledger, deployment([["A", 50], ["B", 50]], DEFERRED, "d1"), 100);
    const effect = applyDeployment(ledger, deployment([["A", 50], ["C", 50]], undefined, "d2"), 200);
    expect(effect.resets).toEqual([{ objectId: "hi", deploymentId: "d2", from: "A", to: "C", atMs: 200, cause: "code-update", live: true }]);
    expect(ledger.objects.hi!.pending).toBeUndefined();
  });

  it("a second deferred move keeps the earlier deadline, or takes a sooner one", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "hi", 0);
    applyDeployment(ledger, deployment([["A", 50], ["B", 50]], DEFERRED, "d1"), 100);
    applyDeployment(ledger, deployment([["A", 50], ["C", 50]], DEFERRED, "d2"), 500);
    expect(ledger.objects.hi!.pending).toEqual({ to: "C", deploymentId: "d2", deadlineMs: 1100 });
    applyDeployment(ledger, deployment([["A", 50], ["B", 50]], { mode: "deferred", maxDelayMs: 100 }, "d3"), 600);
    expect(ledger.objects.hi!.pending).toEqual({ to: "B", deploymentId: "d3", deadlineMs: 700 });
    expect(advanceLedger(ledger, 700)).toEqual([
      { objectId: "hi", deploymentId: "d3", from: "A", to: "B", atMs: 700, cause: "deadline", live: true },
    ]);
  });

  // Docs "Durable Objects code updates", options table: `{ mode: deferred, max_delay: 0 }` is valid
  // and "behaves identically to `immediate`".
  it("a zero delay is the same as immediate: the live object resets at the deployment", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    const effect = applyDeployment(ledger, deployment([["B", 50], ["A", 50]], { mode: "deferred", maxDelayMs: 0 }, "d1"), 100);
    expect(effect.deferred).toEqual([]);
    expect(effect.resets).toEqual([
      { objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 100, cause: "code-update", live: true },
      { objectId: "mid", deploymentId: "d1", from: "A", to: "B", atMs: 100, cause: "code-update", live: false },
    ]);
  });

  // Docs "Durable Objects code updates", Gradual deployments: only the newly assigned objects
  // follow the deferral; objects a step does not reassign are not affected.
  it("an object already waiting keeps its own strategy and deadline when a later step does not reassign it", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    touchObject(ledger, "mid", 0);
    applyDeployment(ledger, deployment([["B", 20], ["A", 80]], DEFERRED, "d1"), 100);
    expect(ledger.objects.lo!.pending).toEqual({ to: "B", deploymentId: "d1", deadlineMs: 1100 });
    const effect = applyDeployment(ledger, deployment([["B", 50], ["A", 50]], { mode: "immediate" }, "d2"), 200);
    expect(effect.resets).toEqual([{ objectId: "mid", deploymentId: "d2", from: "A", to: "B", atMs: 200, cause: "code-update", live: true }]);
    expect(ledger.objects.lo!.pending).toEqual({ to: "B", deploymentId: "d1", deadlineMs: 1100 });
    expect(advanceLedger(ledger, 1100)).toEqual([{ objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 1100, cause: "deadline", live: true }]);
  });
});

// Docs "Lifecycle of a Durable Object": a hibernatable object hibernates after 10 s without
// requests or events; one that cannot hibernate is evicted after 70-140 s. Both end the instance,
// and docs "Durable Objects code updates": an object that hibernates before max_delay starts on
// the new version at its next request.
describe("the lifecycle on the clock", () => {
  const LONG = { mode: "deferred", maxDelayMs: 300_000 } as const;

  it("a quiet object hibernates 10 s after its last request, and its waiting update lands then", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 1_000);
    applyDeployment(ledger, deployment([["B", 100]], LONG, "d1"), 2_000);
    expect(advanceLedger(ledger, 10_999)).toEqual([]);
    expect(advanceLedger(ledger, 11_000)).toEqual([{ objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 11_000, cause: "hibernated", live: false }]);
    expect(ledger.ends).toEqual([{ objectId: "lo", versionId: "A", atMs: 11_000, reason: "hibernated" }]);
    expect(ledger.objects.lo).toMatchObject({ running: "B", live: false });
  });

  it("a busy object never goes quiet for 10 s, so it switches at its deadline", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    applyDeployment(ledger, deployment([["B", 100]], { mode: "deferred", maxDelayMs: 30_000 }, "d1"), 0);
    for (let nowMs = 8_000; nowMs < 30_000; nowMs += 8_000) {
      expect(advanceLedger(ledger, nowMs)).toEqual([]);
      expect(touchObject(ledger, "lo", nowMs)).toEqual({ versionId: "A" });
    }
    expect(advanceLedger(ledger, 30_000)).toEqual([{ objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 30_000, cause: "deadline", live: true }]);
    expect(ledger.ends).toEqual([{ objectId: "lo", versionId: "A", atMs: 30_000, reason: "deadline" }]);
  });

  it("an object that cannot hibernate is evicted after 70-140 s, fixed by the seed", () => {
    const evictedAt = (seed: string): number => {
      const ledger = { ...ledgerOnA(), seed };
      touchObject(ledger, "lo", 0, { hibernatable: false });
      expect(advanceLedger(ledger, 69_999)).toEqual([]);
      advanceLedger(ledger, 140_000);
      expect(ledger.ends).toHaveLength(1);
      expect(ledger.ends[0]!.reason).toBe("evicted");
      return ledger.ends[0]!.atMs;
    };
    const delays = ["1", "2", "3", "4", "5", "6"].map(evictedAt);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(70_000);
    expect(evictedAt("1")).toBe(delays[0]);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it("a quiet object with no waiting update still loses its instance, recorded without a reset", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "mid", 0);
    expect(advanceLedger(ledger, 60_000)).toEqual([]);
    expect(ledger.ends).toEqual([{ objectId: "mid", versionId: "A", atMs: 10_000, reason: "hibernated" }]);
    expect(liveObjects(ledger)).toEqual([]);
  });

  it("a request after the object hibernated first applies the switch it missed", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "lo", 0);
    applyDeployment(ledger, deployment([["B", 100]], LONG, "d1"), 0);
    const served = touchObject(ledger, "lo", 20_000);
    expect(served).toEqual({ versionId: "B", reset: { objectId: "lo", deploymentId: "d1", from: "A", to: "B", atMs: 10_000, cause: "hibernated", live: false } });
  });

  it("ends are recorded in time order across objects", () => {
    const ledger = ledgerOnA();
    touchObject(ledger, "hi", 5_000);
    touchObject(ledger, "lo", 1_000);
    advanceLedger(ledger, 20_000);
    expect(ledger.ends.map((end) => [end.objectId, end.atMs])).toEqual([["lo", 11_000], ["hi", 15_000]]);
  });
});

describe("touchObject and objectIdle", () => {
  it("marks an object live and idle, without resets", () => {
    const ledger = ledgerOnA();
    expect(touchObject(ledger, "mid", 1)).toEqual({ versionId: "A" });
    expect(liveObjects(ledger)).toEqual(["mid"]);
    expect(objectIdle(ledger, "mid", 2)).toBeUndefined();
    expect(liveObjects(ledger)).toEqual([]);
    expect(ledger.resets).toEqual([]);
  });

  it("refuses an unknown object on touch and ignores it on idle", () => {
    const ledger = ledgerOnA();
    expect(() => touchObject(ledger, "nope", 0)).toThrow(/not known/);
    expect(objectIdle(ledger, "nope", 0)).toBeUndefined();
  });
});
