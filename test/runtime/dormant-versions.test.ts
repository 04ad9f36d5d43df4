import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Version } from "../../src/model/types.js";
import type { VersionBundle } from "../../src/runtime/bundle.js";
import { workerdVersions } from "../../src/runtime/dormant-versions.js";
import type { HostedVersion } from "../../src/runtime/options.js";
import { COUNTER_SOURCE } from "./worker-source-fixture.js";

const SOURCE = COUNTER_SOURCE;

/** Two codes a scenario's versions can run (hosted versions of one code share one bundle object). */
const BUNDLES: readonly VersionBundle[] = [
  { modules: [{ type: "ESModule", path: "a.mjs", contents: "export default {};" }] },
  { modules: [{ type: "ESModule", path: "b.mjs", contents: "export default {};" }] },
];

interface Shape {
  readonly code: number;
  readonly greeting: string;
  readonly routable: boolean;
}

function hosted(number: number, shape: Shape): HostedVersion {
  const version: Version = { id: `version-${number}`, number, triggeredBy: "upload", createdAtMs: 0, vars: { GREETING: shape.greeting }, secrets: {} };
  return { version, source: SOURCE, bundle: BUNDLES[shape.code]!, ...(shape.routable ? {} : { routable: false }) };
}

const kindOf = (entry: HostedVersion): string => `${BUNDLES.indexOf(entry.bundle)}/${entry.version.vars.GREETING}`;

describe("the versions workerd runs", () => {
  it("leaves out never-deployed uploads of code that already runs", () => {
    const versions = [hosted(1, { code: 0, greeting: "hi", routable: true }), ...Array.from({ length: 1000 }, (_, index) => hosted(index + 2, { code: 0, greeting: "hi", routable: false }))];
    expect(workerdVersions(versions).map((entry) => entry.version.number)).toEqual([1]);
  });

  it("runs one never-deployed version of each code and vars that nothing else runs (its start is checked)", () => {
    const versions = [
      hosted(1, { code: 0, greeting: "hi", routable: true }),
      hosted(2, { code: 1, greeting: "hi", routable: false }),
      hosted(3, { code: 1, greeting: "hi", routable: false }),
      hosted(4, { code: 0, greeting: "hello", routable: false }),
    ];
    expect(workerdVersions(versions).map((entry) => entry.version.number)).toEqual([1, 2, 4]);
  });

  it("keeps every deployable version, in order, and covers every kind of dormant one once (property)", () => {
    const shape = fc.record({ code: fc.integer({ min: 0, max: 1 }), greeting: fc.constantFrom("a", "b", "c"), routable: fc.boolean() });
    fc.assert(
      fc.property(fc.array(shape, { maxLength: 40 }), (shapes) => {
        const versions = shapes.map((entry, index) => hosted(index + 1, entry));
        const running = workerdVersions(versions);
        expect(running.filter((entry) => entry.routable !== false)).toEqual(versions.filter((entry) => entry.routable !== false));
        expect(running).toEqual(versions.filter((entry) => running.includes(entry)));
        const kinds = new Set(running.map(kindOf));
        for (const entry of versions) expect(kinds.has(kindOf(entry))).toBe(true);
        const dormant = running.filter((entry) => entry.routable === false).map(kindOf);
        expect(new Set(dormant).size).toBe(dormant.length);
      }),
    );
  });
});
