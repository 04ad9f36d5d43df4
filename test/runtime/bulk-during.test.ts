/**
 * A deployment carried out from inside a bulk run, while dosim holds the object calls of one
 * window's requests (the Worker's code is not asked to wait): exactly the held requests to objects the deployment moves fail with the reset
 * error, every other request succeeds, nothing is lost, each object's stored count equals its
 * successful requests, and two runs with the same seeds give the same outcome for every request.
 */
import { describe, expect, it } from "vitest";
import type { DeploymentEffect } from "../../src/model/ledger.js";
import type { Result } from "../../src/model/errors.js";
import type { BulkResult } from "../../src/runtime/workers/control-api.js";
import { hitObject, startExample } from "./helpers.js";

/** 12 names, each asked in turn ("sequential"): request i goes to NAMES[i % 12]. */
const NAMES = Array.from({ length: 12 }, (_, index) => `held-${index}`);
const REQUESTS = 120;

interface DuringRun {
  readonly result: BulkResult;
  readonly moved: ReadonlySet<string>;
  /** Object name → its stored count, read by one more request after the run. */
  readonly counts: Record<string, number>;
  readonly ids: Record<string, string>;
}

async function run(): Promise<DuringRun> {
  const sim = await startExample({ seed: "bulk-during" });
  try {
    const ids = Object.fromEntries(NAMES.map((name) => [name, sim.objectId(name)]));
    const result = await sim.bulk({
      requests: REQUESTS,
      objectNames: NAMES,
      order: "sequential",
      concurrency: 12,
      seed: "during",
      // From A@100 to a split: some objects move to B (and reset at once: immediate), the others stay on A.
      during: { afterRequests: 50, holdMs: 200, delayMs: 50, calls: [{ method: "deploy", args: [{ spec: "B@50,A@50", labels: sim.labels, codeUpdate: { mode: "immediate" } }] }] },
    });
    const answer = result.during?.answers[0] as Result<{ effect: DeploymentEffect }>;
    expect(answer.ok).toBe(true);
    const moved = new Set(answer.ok ? answer.value.effect.resets.map((reset) => reset.objectId) : []);
    const counts: Record<string, number> = {};
    for (const name of NAMES) counts[name] = (await hitObject(sim, name)).body.count! - 1;
    return { result, moved, counts, ids };
  } finally {
    await sim.close();
  }
}

describe("an operation during bulk traffic", () => {
  it("fails exactly the held requests to moved objects, loses nothing, and replays", async () => {
    const one = await run();
    const { result, moved, counts, ids } = one;
    const window = result.during!.window;
    // The window holding request 50: 12 names, one request each, requests 48..59.
    expect(window).toEqual({ first: 48, end: 60 });
    expect(moved.size).toBeGreaterThan(0);
    expect(moved.size).toBeLessThan(NAMES.length);
    // Every object known at the deployment was live on A, so each moved one was reset once.
    expect(result.during!.snapshot.ledger.resets.length - result.during!.resetsBefore).toBe(moved.size);

    const heldToMoved = NAMES.filter((name) => moved.has(ids[name]!)).length;
    expect(result.resetErrors).toBe(heldToMoved);
    expect(result.thrown).toBe(0);
    expect(result.byStatus).toEqual({ "200": REQUESTS - heldToMoved, "503": heldToMoved });
    // Each object's stored count is its successful requests: 10 each, one fewer for a moved object.
    for (const name of NAMES) expect(counts[name]).toBe(REQUESTS / NAMES.length - (moved.has(ids[name]!) ? 1 : 0));

    const two = await run();
    const { elapsedMs: _a, during: duringOne, ...first } = one.result;
    const { elapsedMs: _b, during: duringTwo, ...second } = two.result;
    expect(second).toEqual(first);
    expect(duringTwo!.answers).toEqual(duringOne!.answers);
    expect(two.counts).toEqual(one.counts);
  });
});
