/**
 * A plan worked in chunks (as `dosim plan` does on several threads) reports exactly what the plan
 * worked whole reports: summaries of consecutive chunks merge into the summary of all objects.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_COUNT } from "../../src/model/assignment.js";
import { assignPlan, mergePlanSummaries, summarizePlan } from "../../src/model/plan-chunk.js";
import { buildPlanReport } from "../../src/model/plan-report.js";
import { planRollout, type RolloutPlan } from "../../src/model/plan.js";
import { unwrap } from "../helpers/model-fixtures.js";

/** Rollouts with moves, reorders, a rollback, and a single step. */
const ROLLOUTS = [
  ["A@100", "B@20,A@80", "B@50,A@50", "B@100"],
  ["A@100", "B@20,A@80", "A@50,B@50", "B@100"],
  ["A@100", "B@30,A@70", "A@100", "B@60,A@40", "A@40,B@60"],
  ["A@100"],
];

function planOf(specs: readonly string[]): RolloutPlan {
  return unwrap(planRollout(specs.map((spec) => ({ spec }))));
}

/** The summary of `slots` worked in chunks that end at `cuts`. */
function chunked(plan: RolloutPlan, slots: Int32Array, cuts: readonly number[]) {
  const ends = [...new Set([...cuts.map((cut) => cut % slots.length), slots.length])].filter((end) => end > 0).sort((a, b) => a - b);
  const summaries = ends.map((end, index) => {
    const chunk = slots.subarray(index === 0 ? 0 : ends[index - 1]!, end);
    return summarizePlan(plan, chunk, assignPlan(plan, chunk).versionIndex);
  });
  return summaries.reduce(mergePlanSummaries);
}

describe("plan summaries in chunks", () => {
  it("merge into the report of the whole plan, whatever the chunks (property)", () => {
    const slots = fc.array(fc.integer({ min: 0, max: SLOT_COUNT - 1 }), { minLength: 1, maxLength: 200 });
    const cuts = fc.array(fc.nat(), { maxLength: 6 });
    fc.assert(
      fc.property(fc.constantFrom(...ROLLOUTS), slots, cuts, (specs, given, at) => {
        const plan = planOf(specs);
        const all = Int32Array.from(given);
        const assignments = assignPlan(plan, all);
        const options = { namespace: "n", includeObjects: true, names: given.map((_, index) => `room-${index}`) };
        const whole = buildPlanReport(plan, all, assignments, options);
        expect(buildPlanReport(plan, all, assignments, { ...options, summary: chunked(plan, all, at) })).toEqual(whole);
      }),
    );
  });

  it("name the objects of a failed guarantee as the whole plan does, in its order", () => {
    // Hand-made columns that break both guarantees the plan checks: B rises in place (20 → 50)
    // yet objects leave it, and each of them is reset twice in a plain A→B progression.
    const plan = planOf(["A@100", "B@20,A@80", "B@50,A@50"]);
    const count = 30;
    const slots = new Int32Array(count);
    const columns = [new Uint8Array(count), new Uint8Array(count).fill(1), new Uint8Array(count)];
    const assignments = { objectCount: count, versionIndex: columns };
    const summaries = [0, 7, 19].map((start, index, starts) => {
      const end = starts[index + 1] ?? count;
      return summarizePlan(plan, slots.subarray(start, end), columns.map((column) => column.subarray(start, end)));
    });
    const options = { namespace: "n", includeObjects: false, names: Array.from({ length: count }, (_, index) => `room-${index}`) };
    const whole = buildPlanReport(plan, slots, assignments, options);
    expect(whole.guarantees.map((result) => [result.holds, result.violationCount, result.violations.length])).toEqual([
      [false, count, 10],
      [false, count, 10],
    ]);
    expect(whole.guarantees[0]!.violations[0]).toContain("room-0 left B");
    expect(buildPlanReport(plan, slots, assignments, { ...options, summary: summaries.reduce(mergePlanSummaries) })).toEqual(whole);
  });
});
