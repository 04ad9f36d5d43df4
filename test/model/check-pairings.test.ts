// Sources: Cloudflare docs "Gradual deployments" (an object's version follows its id, not the
// caller; the overrides header reaches any listed version, 0% too) and "Durable Objects code
// updates" (deferred: a reassigned object keeps its old code until idle or max_delay).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellKey, defaultPlan, distinctCells, parsePlan, plannedPairings, type CheckStep, type PlanDeployment } from "../../src/model/check-pairings.js";
import { pairAdvice, stepVerdict, type CellOutcome } from "../../src/model/check-verdicts.js";

const keys = (step: CheckStep | undefined): string[] => (step?.cells ?? []).map(cellKey).sort();
const plan = (text: string, labels = ["A", "B"]): PlanDeployment[] => {
  const parsed = parsePlan(text, labels);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

describe("plannedPairings", () => {
  const steps = plannedPairings("A", plan("B@50,A@50 -> B@100"), { deferred: true });

  it("lists the start, each deployment, and a rollback after the new version reaches 100%", () => {
    expect(steps.map((step) => `${step.kind} ${step.spec}`)).toEqual(["start A@100", "deploy B@50,A@50", "deploy B@100", "rollback A@100"]);
  });

  it("pairs both callers with both object versions during the split, on storage those objects can have", () => {
    // Objects on A never ran B yet; objects on B ran A before.
    expect(keys(steps[1])).toEqual(["A>A/A", "A>B/A", "A>B/B", "B>A/A", "B>B/A", "B>B/B"]);
  });

  it("keeps new callers meeting old objects at 100% with deferred updates, not with immediate ones", () => {
    expect(keys(steps[2])).toContain("B>A/A");
    const immediate = plannedPairings("A", plan("B@50,A@50 -> B@100"), { deferred: false });
    expect(keys(immediate[2])).toEqual(["B>B/A", "B>B/B"]);
  });

  it("makes the rollback target read storage the newer version wrote", () => {
    expect(keys(steps[3])).toEqual(["A>A/A", "A>A/B", "A>B/A", "A>B/B"]);
  });

  it("follows objects through the listed order: a version that never owned an object's slot never wrote it", () => {
    // B takes the first 10%, then the first 50%: objects on A at 50/50 never ran B.
    const rising = plannedPairings("A", plan("B@10,A@90 -> B@50,A@50"), { deferred: false });
    expect(keys(rising[2]).filter((key) => key.includes(">A/"))).toEqual(["A>A/A", "B>A/A"]);
    // Reordering the list moves objects from B back to A: then A reads B's storage mid-rollout.
    const reordered = plannedPairings("A", plan("B@10,A@90 -> A@50,B@50"), { deferred: false });
    expect(keys(reordered[2])).toContain("B>A/B");
  });

  it("property: every cell's object and writer had a share by then, and the caller is listed in the step", () => {
    const entry = fc.constantFrom("A", "B", "C");
    const deployment = fc.tuple(entry, entry, fc.integer({ min: 0, max: 100 })).map(([a, b, share]): PlanDeployment => (a === b ? [{ label: a, percentage: 100 }] : [{ label: a, percentage: share }, { label: b, percentage: 100 - share }]));
    fc.assert(
      fc.property(fc.array(deployment, { minLength: 1, maxLength: 5 }), fc.boolean(), (deployments, deferred) => {
        const checked = plannedPairings("A", deployments, { deferred });
        const owned = new Set(["A"]);
        let index = 0;
        for (const step of checked.slice(1)) {
          if (step.kind === "deploy") for (const entry of deployments[index++]!) if (entry.percentage > 0) owned.add(entry.label);
          for (const cell of step.cells) {
            expect(owned.has(cell.object) && owned.has(cell.writer)).toBe(true);
            if (step.kind === "deploy") expect(deployments[index - 1]!.some((entry) => entry.label === cell.caller)).toBe(true);
          }
        }
      }),
    );
  });
});

describe("parsePlan and defaultPlan", () => {
  it("reads deployments separated by -> or →, or a list", () => {
    expect(plan("B@10,A@90 → B@100")).toEqual([[{ label: "B", percentage: 10 }, { label: "A", percentage: 90 }], [{ label: "B", percentage: 100 }]]);
    expect(parsePlan(["B@50,A@50", "B"], ["A", "B"]).ok).toBe(true);
  });

  it("refuses unknown versions, more than two versions and sums other than 100", () => {
    const refusal = (text: string) => {
      const parsed = parsePlan(text, ["A", "B", "C"]);
      return parsed.ok ? "accepted" : parsed.error.message;
    };
    expect(refusal("D@100")).toMatch(/"D" in "D@100" is not a version of the check/);
    expect(refusal("A@20,B@20,C@60")).toMatch(/at most 2/);
    expect(refusal("A@20,B@20")).toMatch(/add up to 40%/);
    expect(refusal("B@100 -> ")).toMatch(/separated by "->"/);
  });

  it("rolls each next version out at 50% then 100% by default", () => {
    expect(defaultPlan(["A", "B", "C"]).map((deployment) => deployment.map((entry) => `${entry.label}@${entry.percentage}`).join(","))).toEqual(["B@50,A@50", "B@100", "C@50,B@50", "C@100"]);
  });
});

describe("verdicts and advice", () => {
  const steps = plannedPairings("A", plan("B@50,A@50 -> B@100"), { deferred: true });
  const cells = distinctCells(steps);
  const failing = (predicate: (key: string) => boolean) => (cell: { caller: string; object: string; writer: string }): CellOutcome => (predicate(cellKey(cell)) ? { requests: 4, failed: 2, firstFailure: "POST /rooms/x → 500: TypeError: boom" } : { requests: 4, failed: 0 });

  it("names the failing caller → object pairing with its count and first failure", () => {
    const verdict = stepVerdict(steps[1]!, failing((key) => key.startsWith("B>A")));
    expect(verdict.safe).toBe(false);
    expect(verdict.problems).toEqual(["Worker B calling objects on A fails 2/4 requests: POST /rooms/x → 500: TypeError: boom"]);
  });

  it("advises the object side first when only new callers fail on old objects", () => {
    const advice = pairAdvice("A", "B", cells, failing((key) => key.startsWith("B>A")));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatch(/ship the object side first/);
  });

  it("advises expand/migrate/contract when both directions fail", () => {
    expect(pairAdvice("A", "B", cells, failing((key) => key.startsWith("B>A") || key.startsWith("A>B")))[0]).toMatch(/expand .* migrate .* contract/);
  });

  it("advises reading both formats first when only the rollback reads fail", () => {
    const advice = pairAdvice("A", "B", cells, failing((key) => key === "A>A/B"));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatch(/Rolling back to A after B wrote storage fails/);
  });
});

describe("verdicts in the deferred window", () => {
  it("says when the objects a caller fails on are only there because of the deferred update", () => {
    const [, , full] = plannedPairings("A", plan("B@50,A@50 -> B@100"), { deferred: true });
    const verdict = stepVerdict(full!, (cell) => (cell.caller === "B" && cell.object === "A" ? { requests: 2, failed: 2, firstFailure: "boom" } : { requests: 2, failed: 0 }));
    expect(verdict.problems).toEqual(["Worker B calling objects still on A (kept there by the deferred code update) fails 2/2 requests: boom"]);
  });
});
