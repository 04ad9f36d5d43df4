/**
 * The rule that decides which response expectations an emitted script checks from outside: those
 * that depend on what dosim decides its own way (the pick under a split, the object assignment
 * hash, the seeded spread of traffic over objects, requests in flight when an operation lands) are
 * withheld, with the reason; everything else is checked.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { objectsReached, outsideView } from "../../src/emit/outside-view.js";
import type { RequestSpec } from "../../src/scenario/types.js";
import { HEAD, loadValid } from "../scenario/load-helpers.js";

const OBJECTS = ["objects: [foo, bar, baz]"];
const ASKS = { status: 200, version: "B", body: "hi", json: { count: 1 } };
const ask = (path: string, extra = "") => `  - request: ${path}\n    expect: ${JSON.stringify(ASKS)}${extra}`;

/** The withheld checks of each step, by name. */
function withheld(steps: readonly string[]): string[][] {
  const scenario = loadValid([...OBJECTS, ...HEAD, ...steps]);
  return outsideView(scenario).map((view) => [...view.keys()].sort());
}

describe("outsideView", () => {
  it("checks everything while one version takes all traffic (0% versions get none)", () => {
    expect(withheld(["  - deploy: B", ask("/"), ask("/objects/foo"), "  - upload: A", "  - deploy: A@0,B@100", ask("/objects/foo")])).toEqual([[], [], [], [], [], []]);
  });

  it("withholds the serving version, body and JSON under a split, unless an override picks the version", () => {
    const steps = ["  - deploy: A", "  - upload: B", "  - deploy: B@20,A@80", ask("/"), ask("/", "\n    override: B"), ask("/", "\n    versionKey: user-1")];
    expect(withheld(steps).slice(3)).toEqual([["body", "json", "version"], [], ["body", "json", "version"]]);
  });

  it("withholds an object's body and JSON under a split even through an override, and afterwards too", () => {
    const steps = ["  - deploy: A", "  - upload: B", "  - deploy: B@50,A@50", ask("/objects/foo", "\n    override: B"), "  - deploy: B@100", ask("/objects/foo"), ask("/objects/bar")];
    const views = outsideView(loadValid([...OBJECTS, ...HEAD, ...steps]));
    expect(views.map((view) => [...view.keys()].sort()).slice(3)).toEqual([["body", "json"], [], ["body", "json"], []]);
    expect(views[5]!.get("json")).toMatch(/foo was called under a split/);
  });

  it("keeps a refused deployment from changing what is checked", () => {
    expect(withheld(["  - deploy: A", "  - upload: B", "  - deploy: B@20,A@70\n    expect: { refused: percentage-sum }", ask("/")])).toEqual([[], [], [], []]);
  });

  it("withholds statuses raced by an operation that holds requests, and the objects' later state", () => {
    const traffic = "  - traffic: 300\n    objects: all\n    concurrency: 1\n    during: { afterRequests: 150, hold: 200ms, deploy: B@100 }\n    expect: { statuses: { 200: 297, 503: 3 } }";
    const views = outsideView(loadValid([...OBJECTS, "codeUpdate: immediate", ...HEAD, "  - deploy: A", "  - upload: B", traffic, ask("/objects/bar"), ask("/")]));
    expect(views.slice(2).map((view) => [...view.keys()].sort())).toEqual([["statuses"], ["body", "json"], []]);
    expect(views[2]!.get("statuses")).toMatch(/holds the requests of that moment in flight for 200 ms/);
    expect(views[3]!.get("json")).toMatch(/requests to bar in flight at the deploy failed/);
  });

  it("treats concurrent requests as racing an operation, and one-by-one requests without a hold as not", () => {
    const traffic = (concurrency: number) => `  - traffic: 100\n    objects: [foo]\n    concurrency: ${concurrency}\n    during: { afterRequests: 50, deploy: B@100 }\n    expect: { statuses: { 200: 100 } }`;
    expect(withheld(["  - deploy: A", "  - upload: B", traffic(8), ask("/objects/foo")]).slice(2)).toEqual([["statuses"], ["body", "json"]]);
    expect(withheld(["  - deploy: A", "  - upload: B", traffic(1), ask("/objects/foo")]).slice(2)).toEqual([[], []]);
  });

  it("withholds the later state of objects traffic was spread over, but not that of one object sent everything", () => {
    const spread = "  - traffic: 100\n    objects: [foo, bar]\n    expect: { statuses: { 200: 100 } }";
    const single = "  - traffic: 100\n    objects: [baz]";
    const views = outsideView(loadValid([...OBJECTS, ...HEAD, "  - deploy: A", spread, single, ask("/objects/foo", "\n    override: A"), ask("/objects/baz", "\n    override: A")]));
    expect(views.map((view) => [...view.keys()].sort())).toEqual([[], [], [], ["body", "json"], []]);
    expect(views[3]!.get("json")).toMatch(/spread the requests over foo, bar from its seeded stream/);
  });

  it("withholds status counts of traffic under a split only where more than one status is expected", () => {
    const traffic = (statuses: string) => `  - traffic: 100\n    expect: { statuses: ${statuses} }`;
    const steps = ["  - deploy: A", "  - upload: B", "  - deploy: B@20,A@80", traffic("{ 200: 100 }"), traffic("{ 200: { min: 70 }, 500: { max: 30 } }")];
    expect(withheld(steps).slice(3)).toEqual([[], ["statuses"]]);
  });
});

describe("objectsReached", () => {
  const scenario = loadValid([...OBJECTS, ...HEAD, "  - deploy: A"]);
  const request = (path: string, object?: string): RequestSpec => ({ method: "GET", path, headers: {}, ...(object !== undefined && { object }) });

  it("names the request's object, the objects it expects served, and declared objects named by a path segment", () => {
    expect(objectsReached(scenario, request("/objects/foo"), undefined)).toEqual(["foo"]);
    expect(objectsReached(scenario, request("/x/{name}", "bar"), { served: { baz: "A" } })).toEqual(["bar", "baz"]);
    expect(objectsReached(scenario, request("/rooms?id=baz"), undefined)).toEqual(["baz"]);
  });

  it("does not take a name that is only part of a segment", () => {
    expect(objectsReached(scenario, request("/objects/food"), undefined)).toEqual([]);
    expect(objectsReached(scenario, request("/"), undefined)).toEqual([]);
  });
});

describe("outsideView, over any run of deployments and requests", () => {
  const step = fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((b) => ({ kind: "deploy" as const, b })),
    fc.record({ kind: fc.constant("request" as const), object: fc.boolean(), override: fc.boolean() }),
  );

  it("withholds a request's version exactly under a split without an override, and an object's JSON once it was called under a split", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const lines = ["  - deploy: A", "  - upload: B"];
        for (const s of steps) {
          if (s.kind === "deploy") lines.push(`  - deploy: B@${s.b},A@${100 - s.b}`);
          else lines.push(ask(s.object ? "/objects/foo" : "/", s.override ? "\n    override: B" : ""));
        }
        const views = outsideView(loadValid([...OBJECTS, ...HEAD, ...lines]));
        let split = false;
        let fooCalledUnderSplit = false;
        steps.forEach((s, at) => {
          const view = views[at + 2]!;
          if (s.kind === "deploy") {
            split = s.b !== 0 && s.b !== 100;
            expect(view.size).toBe(0);
            return;
          }
          expect(view.has("version")).toBe(split && !s.override);
          if (s.object && split) fooCalledUnderSplit = true;
          expect(view.has("json")).toBe((split && !s.override) || (s.object && fooCalledUnderSplit));
        });
      }),
      { numRuns: 30 },
    );
  });
});
