import { describe, expect, it } from "vitest";
import { objectSlotsFromNames } from "../../src/model/object-slots.js";
import { PLAN_REPORT_SCHEMA, buildPlanReport } from "../../src/model/plan-report.js";
import { assignPlan, planRollout, type PlanStepInput } from "../../src/model/plan.js";
import { unwrap } from "../helpers/model-fixtures.js";

/** Plans `specs` over objects given by slot and builds the report. */
function report(specs: string[], slots: Int32Array, names?: string[], includeObjects = false) {
  const plan = unwrap(planRollout(specs.map((spec): PlanStepInput => ({ spec }))));
  return buildPlanReport(plan, slots, assignPlan(plan, slots), { namespace: "hello-Counter", ...(names && { names }), includeObjects });
}

describe("buildPlanReport: the docs' progression", () => {
  const names = ["foo", "bar", "baz"];
  const slots = objectSlotsFromNames("hello-Counter", names);
  const docs = report(["A@100", "B@20,A@80", "B@50,A@50", "B@100"], slots, names, true);

  it("has the schema, namespace, labels and one entry per step", () => {
    expect(docs.schema).toBe(PLAN_REPORT_SCHEMA);
    expect(docs.schema).toBe("dosim.plan/v1");
    expect(docs.namespace).toBe("hello-Counter");
    expect(docs.objectCount).toBe(3);
    expect(docs.labels).toEqual(["A", "B"]);
    expect(docs.steps.map((step) => [step.step, step.spec, step.codeUpdate])).toEqual([
      [1, "A@100", "deferred"],
      [2, "B@20,A@80", "deferred"],
      [3, "B@50,A@50", "deferred"],
      [4, "B@100", "deferred"],
    ]);
  });

  it("shows requested against realised shares and the moves of each step", () => {
    // foo moves at B@50, bar and baz at B@100 (see plan.test.ts).
    expect(docs.steps.map((step) => step.versions)).toEqual([
      [{ label: "A", requestedPercentage: 100, objects: 3, realisedPercentage: 100 }],
      [
        { label: "B", requestedPercentage: 20, objects: 0, realisedPercentage: 0 },
        { label: "A", requestedPercentage: 80, objects: 3, realisedPercentage: 100 },
      ],
      [
        { label: "B", requestedPercentage: 50, objects: 1, realisedPercentage: 33.333 },
        { label: "A", requestedPercentage: 50, objects: 2, realisedPercentage: 66.667 },
      ],
      [{ label: "B", requestedPercentage: 100, objects: 3, realisedPercentage: 100 }],
    ]);
    expect(docs.steps.map((step) => [step.moved, step.resets])).toEqual([
      [0, 0],
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(docs.steps.map((step) => step.movement)).toEqual([[], [], [{ from: "A", to: "B", objects: 1 }], [{ from: "A", to: "B", objects: 2 }]]);
    expect(docs.steps.every((step) => step.warnings.length === 0)).toBe(true);
  });

  it("totals the resets and finds every guarantee holding", () => {
    expect(docs.totals).toEqual({ resets: 3, objectsReset: 3, maxResetsPerObject: 1 });
    expect(docs.guarantees.map((guarantee) => [guarantee.name, guarantee.applicable, guarantee.holds, guarantee.violationCount])).toEqual([
      ["rising-version-keeps-objects", true, true, 0],
      ["one-reset-per-progression", true, true, 0],
    ]);
  });

  it("lists every object's versions by name when asked", () => {
    expect(docs.objects).toEqual([
      { name: "foo", slot: slots[0], versions: ["A", "A", "B", "B"] },
      { name: "bar", slot: slots[1], versions: ["A", "A", "A", "B"] },
      { name: "baz", slot: slots[2], versions: ["A", "A", "A", "B"] },
    ]);
    expect(report(["A@100", "B@100"], slots)).not.toHaveProperty("objects");
    expect(report(["A@100", "B@100"], slots, undefined, true).objects![0]!.name).toBe("object #1");
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(docs))).toEqual(docs);
  });
});

describe("buildPlanReport: movement and reordering", () => {
  // One object per 0.1% band, so shares are exact and moves easy to count by hand.
  const slots = Int32Array.from({ length: 1000 }, (_, index) => index * 100 + 50);

  it("counts the movement matrix of a step", () => {
    const result = report(["A@100", "B@20,A@80", "B@30,C@70"], slots);
    const third = result.steps[2]!;
    expect(third.versions.map((version) => [version.label, version.objects, version.realisedPercentage])).toEqual([
      ["B", 300, 30],
      ["C", 700, 70],
    ]);
    expect(third.movement).toEqual([
      { from: "A", to: "B", objects: 100 },
      { from: "A", to: "C", objects: 700 },
    ]);
    expect(third.moved).toBe(800);
    expect(third.warnings).toEqual([]);
    expect(result.totals).toEqual({ resets: 1000, objectsReset: 1000, maxResetsPerObject: 1 });
    // Three versions: not a plain progression.
    expect(result.guarantees.find((guarantee) => guarantee.name === "one-reset-per-progression")).toMatchObject({ applicable: false, holds: true, checked: 0 });
  });

  it("warns when a step lists [A, B] after [B, A], with the extra moves counted by brute force", () => {
    const result = report(["A@100", "B@20,A@80", "A@50,B@50"], slots);
    const step = result.steps[2]!;
    // Brute force: before, B owns slots below 20000; reordered, A owns below 50000; kept, B would own below 50000.
    const before = (slot: number) => (slot < 20_000 ? "B" : "A");
    const reordered = (slot: number) => (slot < 50_000 ? "A" : "B");
    const kept = (slot: number) => (slot < 50_000 ? "B" : "A");
    const moved = (after: (slot: number) => string) => Array.from(slots).filter((slot) => after(slot) !== before(slot)).length;
    expect(moved(reordered)).toBe(step.moved);
    const extraMoves = moved(reordered) - moved(kept);
    expect(extraMoves).toBe(700 - 300);
    expect(step.warnings).toEqual([
      {
        code: "reordered-versions",
        message: `Step 3 lists its versions in another order than step 2; that moves ${extraMoves} more object(s) than keeping the order would.`,
        extraMoves,
      },
    ]);
    // Objects went A -> B -> A: more than one reset each, and (b) is not applicable to a reorder.
    expect(result.totals.maxResetsPerObject).toBe(2);
    const names = result.guarantees.map((guarantee) => [guarantee.name, guarantee.applicable]);
    expect(names).toContainEqual(["one-reset-per-progression", false]);
  });

  it("says fewer when a small sample happens to move less under the reorder", () => {
    const few = Int32Array.from([15_000, 16_000, 17_000]);
    const step = report(["A@100", "A@10,B@90", "B@80,A@20"], few).steps[2]!;
    expect(step.warnings[0]!.extraMoves).toBe(-3);
    expect(step.warnings[0]!.message).toContain("moves 3 fewer object(s)");
  });

  it("reports zero objects without dividing by zero", () => {
    const empty = report(["A@100", "B@100"], new Int32Array(0));
    expect(empty.steps[1]!.versions).toEqual([{ label: "B", requestedPercentage: 100, objects: 0, realisedPercentage: 0 }]);
    expect(empty.totals).toEqual({ resets: 0, objectsReset: 0, maxResetsPerObject: 0 });
  });
});
