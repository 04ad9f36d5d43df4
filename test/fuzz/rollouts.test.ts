/**
 * Generated rollouts, without workerd: every rollout fast-check makes (and so every one it tries
 * while shrinking) becomes a scenario the loader accepts, whose expectations the model worked out.
 */
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rolloutArbitrary } from "../../src/fuzz/commands.js";
import { countJson } from "../../src/fuzz/oracle.js";
import { oracleContext, rolloutScenario } from "../../src/fuzz/scenario-file.js";
import { resolveTarget } from "../../src/fuzz/target.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const planted = join(REPO_ROOT, "test/fixtures/workers/planted-bug");
const flags = { version: [], path: "/objects/{name}", method: "GET", countField: "count" };

describe("generated rollouts", () => {
  const target = resolveTarget({ ...flags, scenario: join(planted, "fuzz.yaml") });
  const context = oracleContext(target);
  const file = join(planted, "generated.yaml");

  it("always load as scenarios, begin with the first deploy and check every step", () => {
    fc.assert(
      fc.property(rolloutArbitrary(12), (rollout) => {
        const { scenario } = rolloutScenario(rollout, target, context, { file });
        expect(scenario.steps[0]).toMatchObject({ kind: "deploy", full: true });
        expect(scenario.guarantees.length).toBe(4);
        for (const step of scenario.steps) {
          if (step.kind === "request" || step.kind === "traffic") expect(step.expect?.failures?.other).toEqual({ min: 0, max: 0 });
          if (step.kind === "deploy" || step.kind === "rollback" || step.kind === "upload") expect(step.expect?.deployment ?? step.expect?.refused).toBeDefined();
        }
      }),
      { seed: 14, numRuns: 20 },
    );
  });

  it("count each object's writes: the n-th successful request to an object answers count n", () => {
    const rollout = { scenarioSeed: 3, commands: [{ kind: "request", object: 0 }, { kind: "traffic", object: 0, requests: 20, during: null }, { kind: "request", object: 1 }, { kind: "request", object: 0 }] } as const;
    const { scenario } = rolloutScenario(rollout, target, context, { file });
    const counts = scenario.steps.flatMap((step) => (step.kind === "request" ? [[step.request.object, (step.expect?.json as { count: number }).count]] : []));
    expect(counts).toEqual([["foo", 1], ["bar", 1], ["foo", 22]]);
  });

  it("expect a refused step to leave the deployment as it was and reset nothing", () => {
    // Uploading B makes the newest version undeployed, so a plain `secret put` is refused (10215).
    const rollout = { scenarioSeed: 1, commands: [{ kind: "upload", version: 0 }, { kind: "secret", value: 1, versioned: false, codeUpdate: "default" }] } as const;
    const { text } = rolloutScenario(rollout, target, context, { file });
    expect(text).toContain('expect: { refused: "10215", resets: { step: 0 }, deployment: A@100 }');
  });

  it("check the user's invariants after every step, with their own expectations", () => {
    const invariant = { request: "/objects/{name}", object: "bar", expect: { status: 200 } };
    const withInvariant = { ...target, invariants: [invariant] };
    const rollout = { scenarioSeed: 2, commands: [{ kind: "request", object: 0 }, { kind: "wait", duration: "5s" }] } as const;
    const { scenario } = rolloutScenario(rollout, withInvariant, oracleContext(withInvariant), { file });
    expect(scenario.steps.map((step) => step.kind)).toEqual(["deploy", "request", "request", "request", "wait", "request"]);
    expect(scenario.steps[3]!.expect).toEqual({ status: 200 });
    // The invariant sends the counted request (GET /objects/{name}) to bar: it writes, so the count goes on.
    const counts = rolloutScenario({ scenarioSeed: 2, commands: [{ kind: "request", object: 1 }] }, withInvariant, oracleContext(withInvariant), { file });
    expect(counts.scenario.steps.map((step) => (step.kind === "request" && step.expect?.json !== undefined ? step.expect.json : null))).toEqual([null, null, { count: 2 }, null]);
  });
});

describe("the count an answer must hold", () => {
  it("is a top-level field, or a nested one named by a dotted path", () => {
    expect(countJson("count", 3)).toEqual({ count: 3 });
    expect(countJson("object.count", 3)).toEqual({ object: { count: 3 } });
    expect(countJson("a.b.c", 1)).toEqual({ a: { b: { c: 1 } } });
  });
});
