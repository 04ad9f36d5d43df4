/**
 * Bulk traffic is a function of its seeds: two runs with the same seeds and concurrency give the
 * same outcome for every request (the digest), the same counts per version and per object, and
 * byte for byte the same ledger, across a deployment that resets objects. Another concurrency
 * changes the speed, not what each request got.
 */
import { describe, expect, it } from "vitest";
import type { BulkResult, BulkSpec } from "../../src/runtime/workers/control-api.js";
import { startExample } from "./helpers.js";

/** These runs count resets at the deployment, so they ask for immediate code updates (the default defers). */
const IMMEDIATE = { codeUpdate: { mode: "immediate" } } as const;
/** 200 names for 60% of the requests: names repeat often, so windows end early and objects see many requests. */
const NAMES = Array.from({ length: 200 }, (_, index) => `bulk-${index}`);

interface RunRecord {
  readonly results: Omit<BulkResult, "elapsedMs">[];
  readonly ledger: string;
  /** Object id → version id → trace events. */
  readonly perObject: Record<string, Record<string, number>>;
}

async function run(concurrency: number): Promise<RunRecord> {
  const sim = await startExample({ seed: "bulk-determinism" });
  try {
    const spec: BulkSpec = { requests: 1500, objectNames: NAMES, objectShare: 0.6, concurrency, seed: "first" };
    expect((await sim.deploy("B@50,A@50", IMMEDIATE)).ok).toBe(true);
    const first = await sim.bulk(spec);
    // Moves some live objects from A to B: the ledger records their resets.
    expect((await sim.deploy("A@20,B@80", IMMEDIATE)).ok).toBe(true);
    const second = await sim.bulk({ ...spec, seed: "second", versionKeys: ["k1", "k2", "k3"] });
    const ledger = await sim.ledger();
    expect(ledger.resets.length).toBeGreaterThan(0);
    const perObject: Record<string, Record<string, number>> = {};
    for (const event of await sim.traces()) {
      if (event.DurableObject === undefined) continue;
      const versions = (perObject[event.DurableObject.Id] ??= {});
      versions[event.ScriptVersion.id] = (versions[event.ScriptVersion.id] ?? 0) + 1;
    }
    const results = [first, second].map(({ elapsedMs: _elapsedMs, ...rest }) => rest);
    return { results, ledger: JSON.stringify(ledger), perObject };
  } finally {
    await sim.close();
  }
}

/** The first run at concurrency 64, shared by the tests that compare with it (made by whichever runs first). */
let reference: Promise<RunRecord> | undefined;
function referenceRun(): Promise<RunRecord> {
  return (reference ??= run(64));
}

describe("bulk traffic", () => {
  it("is the same on every run with the same seeds and concurrency", async () => {
    const one = await referenceRun();
    const two = await run(64);
    for (const result of one.results) {
      expect(result.byStatus).toEqual({ "200": 1500 });
      expect(result.thrown).toBe(0);
    }
    expect(two.results).toEqual(one.results);
    expect(two.perObject).toEqual(one.perObject);
    expect(Object.keys(one.perObject)).toHaveLength(NAMES.length);
    expect(two.ledger).toBe(one.ledger);
  });

  it("gives every request the same outcome whatever the concurrency", async () => {
    const one = await referenceRun();
    const narrow = await run(5);
    expect(narrow.results.map((result) => result.digest)).toEqual(one.results.map((result) => result.digest));
    expect(narrow.results).toEqual(one.results);
    expect(narrow.perObject).toEqual(one.perObject);
  });
});
