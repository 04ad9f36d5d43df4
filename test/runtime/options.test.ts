import { describe, expect, it } from "vitest";
import type { Version } from "../../src/model/types.js";
import { buildMiniflareOptions, type HostedVersion, type RunLayout } from "../../src/runtime/options.js";
import { COUNTER_SOURCE } from "./worker-source-fixture.js";

const SOURCE = COUNTER_SOURCE;

function hosted(number: number, routable: boolean): HostedVersion {
  const version: Version = { id: `version-${number}`, number, triggeredBy: "upload", createdAtMs: 0, vars: {}, secrets: {} };
  return { version, source: SOURCE, bundle: { modules: [{ type: "ESModule", path: "version.mjs", contents: "export default {};" }] }, ...(routable ? {} : { routable: false }) };
}

/** A run of `count` versions of which the first `deployed` are named by some deployment. */
function layout(count: number, deployed: number): RunLayout {
  return {
    workerName: "hello",
    versions: Array.from({ length: count }, (_, index) => hosted(index + 1, index < deployed)),
    internal: { edge: "", control: "", router: "", bridge: "" },
    boot: { seed: "s", nowMs: 0, draws: 0, state: { name: "hello", versions: [], deployments: [] } },
  };
}

function worker(options: ReturnType<typeof buildMiniflareOptions>, name: string) {
  const found = (options.workers as { name?: string; durableObjects?: Record<string, unknown>; bindings?: Record<string, unknown> }[]).find((w) => w.name === name);
  if (found === undefined) throw new Error(`no worker ${name}`);
  return found;
}

describe("Miniflare options of a run", () => {
  // The object router holds one namespace per deployed version; the routing bindings reach it
  // through one service binding, so its namespaces appear in the config once, not per version
  // (test/runtime/deployed-scale.test.ts).
  it("gives the routing binding the namespaces of deployed versions only; the control worker keeps all", () => {
    const options = buildMiniflareOptions(layout(50, 2));
    const router = worker(options, "dosim-do-router");
    expect(Object.keys(router.durableObjects!).sort()).toEqual(["CONTROL", "NS_1_Counter", "NS_2_Counter"]);
    expect(Object.keys((router.bindings!.topology as { versions: object }).versions)).toEqual(["version-1", "version-2"]);
    const control = worker(options, "dosim-control");
    expect(Object.keys(control.durableObjects!)).toHaveLength(51);
  });

  it("keeps every version routable by default (a host without a dry run)", () => {
    const all = layout(3, 3);
    const router = worker(buildMiniflareOptions(all), "dosim-do-router");
    expect(Object.keys(router.durableObjects!)).toHaveLength(4);
  });
});
