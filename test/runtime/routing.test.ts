/**
 * Edge routing in the platform's precedence: a usable override reaches even a 0% version, an
 * unusable one falls through silently, and a version key sticks to one version per deployment and
 * keeps it while that version's percentage rises.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION_KEY_HEADER } from "../../src/model/version-key.js";
import { VERSION_OVERRIDES_HEADER } from "../../src/model/version-overrides.js";
import type { Simulator } from "../../src/runtime/index.js";
import { startExample } from "./helpers.js";

/** The version the edge says served a request; checks it against the example's own header, and that no dosim header leaves the host. */
async function versionOf(sim: Simulator, headers: Record<string, string>): Promise<string | null> {
  const { response, versionId } = await sim.fetchServed("/", { headers });
  await response.arrayBuffer();
  expect([...response.headers.keys()].filter((name) => name.toLowerCase().startsWith("x-dosim-"))).toEqual([]);
  expect(versionId).toBe(response.headers.get("Worker-Version"));
  return versionId ?? null;
}

describe("edge routing", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startExample({
      versions: [{ label: "A", tag: "a" }, { label: "B", tag: "b" }, { label: "C", tag: "c" }],
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("applies an override to a 0% version, and ignores unusable ones", async () => {
    expect((await sim.deploy("B@0,A@100")).ok).toBe(true);
    const { A, B, C } = sim.labels as { A: string; B: string; C: string };
    expect(await versionOf(sim, { [VERSION_OVERRIDES_HEADER]: `hello="${B}"` })).toBe(B);
    expect(await versionOf(sim, { [VERSION_OVERRIDES_HEADER]: `other="${B}", hello="${B}"` })).toBe(B);
    const unusable = [
      `hello=${B}`, // a token, not a string
      `hello="${B}`, // unparsable
      `hello="${C}"`, // C is not in the deployment
      `other="${B}"`, // another Worker
      `hello=?1`,
      `;;;`,
    ];
    for (const header of unusable) {
      for (let i = 0; i < 5; i++) expect(await versionOf(sim, { [VERSION_OVERRIDES_HEADER]: header }), header).toBe(A);
    }
    // An override wins over a version key.
    expect(await versionOf(sim, { [VERSION_OVERRIDES_HEADER]: `hello="${B}"`, [VERSION_KEY_HEADER]: "k" })).toBe(B);
  });

  it("keeps a version key on one version, and on its version while that version grows", async () => {
    const { A, B } = sim.labels as { A: string; B: string; C: string };
    expect((await sim.deploy("B@20,A@80")).ok).toBe(true);
    const keys = Array.from({ length: 60 }, (_, index) => `user-${index}`);
    const first = new Map<string, string>();
    for (const key of keys) {
      const versions = new Set<string | null>();
      for (let i = 0; i < 3; i++) versions.add(await versionOf(sim, { [VERSION_KEY_HEADER]: key }));
      expect(versions.size, key).toBe(1);
      first.set(key, [...versions][0]!);
    }
    const onB = keys.filter((key) => first.get(key) === B);
    expect(onB.length).toBeGreaterThan(0);
    expect(onB.length).toBeLessThan(keys.length);

    expect((await sim.deploy("B@50,A@50")).ok).toBe(true);
    let moved = 0;
    for (const key of keys) {
      const now = await versionOf(sim, { [VERSION_KEY_HEADER]: key });
      if (first.get(key) === B) expect(now, key).toBe(B);
      else if (now === B) moved++;
      else expect(now).toBe(A);
    }
    expect(moved).toBeGreaterThan(0);
  });

  it("splits requests without headers by the percentages, reproducibly", async () => {
    const { B } = sim.labels as { A: string; B: string; C: string };
    expect((await sim.deploy("B@30,A@70")).ok).toBe(true);
    const result = await sim.bulk({ requests: 2000, paths: ["/"] });
    const share = (result.byVersion[B] ?? 0) / 2000;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });
});
