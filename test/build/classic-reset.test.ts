/**
 * A classic Durable Object class (no `extends DurableObject`) on a compatibility date before RPC
 * (2024-01-01), with an `.html` page imported through a Data rule: it serves, and a deployment that
 * moves an object resets its live instance for real (the new instance starts with fresh memory).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulator } from "../../src/runtime/index.js";

const CONFIG = "test/fixtures/workers/classic-html/wrangler.toml";

describe("a classic class on a pre-RPC date", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start({
      config: CONFIG,
      seed: "classic",
      versions: [{ label: "A" }, { label: "B", main: "test/fixtures/workers/classic-html/src/b.js" }],
    });
  });
  afterAll(() => sim?.close());

  it("serves the page its Data rule imports", async () => {
    await sim.deploy("A@100");
    const response = await sim.fetch("/");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Welcome to the room.");
    expect(response.headers.get("x-release")).toBe("a");
  });

  it("resets a live classic instance when its object moves to B", async () => {
    const first = (await (await sim.fetch("/rooms/lobby")).json()) as { release: string; count: number; hits: number };
    expect(first).toEqual({ release: "a", count: 1, hits: 1 });
    const versions = await sim.versions();
    const [a, b] = versions.map((version) => version.id);
    const answer = await sim.deploy(`${b}@100`, { codeUpdate: { mode: "immediate" } });
    expect(answer.ok).toBe(true);
    const after = (await (await sim.fetch("/rooms/lobby")).json()) as { release: string; count: number; hits: number };
    // Storage survives the reset, memory does not.
    expect(after).toEqual({ release: "b", count: 2, hits: 1 });
    const ledger = await sim.ledger();
    expect(ledger.resets.map((reset) => [reset.from, reset.to, reset.live])).toEqual([[a, b, true]]);
  });
});
