/**
 * Alarms belong to the object (DESIGN: "Alarms belong to the object and run on whatever version it
 * runs"): an alarm set while an object ran version A fires once, on the version the object runs
 * when it fires. workerd schedules an alarm on the namespace that set it, so this checks that dosim
 * carries it over to the object's current version.
 *
 * The alarm fires on workerd's wall clock (a Durable Object alarm is a real time in workerd, outside
 * the virtual clock): each test arms it a few seconds ahead and then waits for it inside the object
 * (`/rang?wait` answers once it rang), never by sleeping.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESET_REASON, Simulator } from "../../src/runtime/index.js";

const FOLDER = "test/fixtures/workers/kv-alarm";
const AHEAD_MS = 3_000;

interface Rang {
  readonly release: string;
  readonly rang: { release: string; retryCount: number }[];
  readonly releases: string[];
}

describe("an alarm set under A, with the object moved to B", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start({ config: `${FOLDER}/wrangler.jsonc`, seed: "alarms", versions: [{ label: "A" }, { label: "B", main: `${FOLDER}/src/b.js` }] });
  });
  afterAll(() => sim?.close());

  it("fires once, on B", async () => {
    await sim.deploy("A@100");
    // The move below usually happens before the alarm is due; on a slow machine A may ring it
    // first, and then holds it (`hold`) until the reset, so that B rings the retry.
    const armed = (await (await sim.fetch(`/kitchen/arm?in=${AHEAD_MS}&hold`)).json()) as { release: string; alarm: boolean };
    expect(armed).toMatchObject({ release: "a", alarm: true });
    const moved = await sim.deploy(`${sim.labels.B}@100`, { codeUpdate: { mode: "immediate" } });
    expect(moved.ok).toBe(true);
    const rang = (await (await sim.fetch("/kitchen/rang?wait")).json()) as Rang;
    expect(rang).toMatchObject({ release: "b", releases: ["b"] });
    // 0: handed over from A's stale instance; 1: A's held run was cut by the reset and retried.
    expect([0, 1]).toContain(rang.rang[0]!.retryCount);
    const traces = (await sim.traces()).filter((event) => event.EventType === "alarm");
    // A held run (on a slow machine) was stopped by the reset: it failed; only B's run succeeded.
    expect(traces.filter((event) => event.Outcome === "ok").map((event) => event.ScriptVersion.id)).toEqual([sim.labels.B]);
    expect(traces.filter((event) => event.Outcome !== "ok").every((event) => event.ScriptVersion.id === sim.labels.A)).toBe(true);
  });
});

describe("a reset while the alarm handler runs", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start({ config: `${FOLDER}/wrangler.jsonc`, seed: "alarms-reset", versions: [{ label: "A" }, { label: "B", main: `${FOLDER}/src/b.js` }] });
  });
  afterAll(() => sim?.close());

  it("fails that run, and the retry runs on the version the object runs then", async () => {
    await sim.deploy("A@100");
    await sim.fetch("/garden/arm?in=0&hold");
    // Answers once the alarm handler has started on A (it then holds until its instance is shut down).
    expect(await (await sim.fetch("/garden/ringing")).json()).toEqual({ release: "a", ringing: true });
    const moved = await sim.deploy(`${sim.labels.B}@100`, { codeUpdate: { mode: "immediate" } });
    expect(moved.ok).toBe(true);
    const rang = (await (await sim.fetch("/garden/rang?wait")).json()) as Rang;
    expect(rang).toEqual({ release: "b", rang: [{ release: "b", retryCount: 1 }], releases: ["b"] });
    const alarms = (await sim.traces()).filter((event) => event.EventType === "alarm");
    // The run in flight at the reset ran on until it touched storage, which stopped it with the reset error.
    expect(alarms.map((event) => [event.ScriptVersion.id, event.Outcome, event.Exceptions[0]?.Message])).toEqual([
      [sim.labels.A, "exception", RESET_REASON],
      [sim.labels.B, "ok", undefined],
    ]);
  });
});
