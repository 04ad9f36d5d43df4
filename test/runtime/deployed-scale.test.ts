import { describe, expect, it } from "vitest";
import type { Version } from "../../src/model/types.js";
import { buildMiniflareOptions, type HostedVersion, type RunLayout } from "../../src/runtime/options.js";
import { COUNTER_SOURCE } from "./worker-source-fixture.js";

type Options = ReturnType<typeof buildMiniflareOptions>;
type WorkerShape = { name?: string; bindings?: object; durableObjects?: object; serviceBindings?: object; wrappedBindings?: Record<string, { scriptName: string }> };

function hosted(number: number): HostedVersion {
  const version: Version = { id: `version-${number}`, number, triggeredBy: "upload", createdAtMs: 0, vars: { N: String(number) }, secrets: {} };
  return { version, source: COUNTER_SOURCE, bundle: { modules: [{ type: "ESModule", path: "version.mjs", contents: "export default {};" }] } };
}

/** A run whose `count` versions are all named by some deployment. */
function deployed(count: number): RunLayout {
  return {
    workerName: "hello",
    versions: Array.from({ length: count }, (_, index) => hosted(index + 1)),
    internal: { edge: "", control: "", router: "", bridge: "" },
    boot: { seed: "s", nowMs: 0, draws: 0, state: { name: "hello", versions: [], deployments: [] } },
  };
}

function workers(options: Options): WorkerShape[] {
  return options.workers as WorkerShape[];
}

/**
 * The bytes of the config Miniflare serialises, as JSON: the options, plus what Miniflare adds
 * for each routing binding (a wrapped binding): a copy of its worker's bindings in the version's
 * worker, and one more in Miniflare's entry worker.
 */
function configBytes(options: Options): number {
  const byName = new Map(workers(options).map((worker) => [worker.name, worker]));
  let bytes = JSON.stringify(options).length;
  for (const worker of workers(options)) {
    for (const designator of Object.values(worker.wrappedBindings ?? {})) {
      const { bindings, durableObjects, serviceBindings } = byName.get(designator.scriptName)!;
      bytes += 2 * JSON.stringify({ bindings, durableObjects, serviceBindings }).length;
    }
  }
  return bytes;
}

describe("the config of a run with many deployed versions", () => {
  it("gives the routing bindings' worker the same bindings whatever the number of deployed versions", () => {
    const routingOf = (options: Options) => {
      const names = new Set(workers(options).flatMap((worker) => Object.values(worker.wrappedBindings ?? {}).map((designator) => designator.scriptName)));
      expect(names.size).toBe(1);
      const { bindings, durableObjects, serviceBindings } = workers(options).find((worker) => names.has(worker.name!))!;
      return { bindings, durableObjects, serviceBindings };
    };
    expect(routingOf(buildMiniflareOptions(deployed(100)))).toEqual(routingOf(buildMiniflareOptions(deployed(10))));
  });

  it("grows linearly: twice the deployed versions, about twice the bytes", () => {
    const ratio = configBytes(buildMiniflareOptions(deployed(200))) / configBytes(buildMiniflareOptions(deployed(100)));
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
  });
});
