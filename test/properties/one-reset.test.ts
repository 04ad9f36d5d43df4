/**
 * Guarantee (c): in a plain A→B progression (B's share only grows, the order never changes, the
 * last step is B@100) every object is reset at most once and ends on B. Checked on the plan report
 * and on the ledger, with immediate and deferred code updates.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_COUNT } from "../../src/model/assignment.js";
import { advanceLedger, applyDeployment, emptyLedger, knowObject, objectIdle, resetCounts, touchObject } from "../../src/model/ledger.js";
import { buildPlanReport } from "../../src/model/plan-report.js";
import { assignPlan, planRollout } from "../../src/model/plan.js";
import type { CodeUpdate } from "../../src/model/types.js";
import { deployment, unwrap } from "../helpers/model-fixtures.js";

/** B's shares in thousandths: non-decreasing, ending at 100%. */
const bShares = fc
  .array(fc.integer({ min: 0, max: SLOT_COUNT }), { minLength: 0, maxLength: 6 })
  .map((shares) => [...shares.sort((a, b) => a - b), SLOT_COUNT]);

/** The entries of a step where B has `bSlots` thousandths, B listed first or last. */
function entriesOf(bSlots: number, bFirst: boolean): [string, number][] {
  if (bSlots === SLOT_COUNT) return [["B", 100]];
  const b: [string, number] = ["B", bSlots / 1000];
  const a: [string, number] = ["A", (SLOT_COUNT - bSlots) / 1000];
  return bFirst ? [b, a] : [a, b];
}

const slotList = fc.array(fc.integer({ min: 0, max: SLOT_COUNT - 1 }), { minLength: 1, maxLength: 300 });

describe("property: one reset per object in a plain A→B progression", () => {
  it("in the plan report", () => {
    fc.assert(
      fc.property(bShares, fc.boolean(), slotList, (shares, bFirst, slots) => {
        const specs = ["A@100", ...shares.map((share) => entriesOf(share, bFirst).map(([label, percentage]) => `${label}@${percentage}`).join(","))];
        const plan = unwrap(planRollout(specs.map((spec) => ({ spec }))));
        const objects = Int32Array.from(slots);
        const assignments = assignPlan(plan, objects);
        const report = buildPlanReport(plan, objects, assignments, { namespace: "n", includeObjects: false });
        expect(report.totals.maxResetsPerObject).toBeLessThanOrEqual(1);
        expect(report.totals.objectsReset).toBe(objects.length);
        const guarantee = report.guarantees.find((result) => result.name === "one-reset-per-progression")!;
        expect(guarantee).toMatchObject({ applicable: true, holds: true });
        expect(report.steps.flatMap((step) => step.movement.filter((move) => move.from !== "A" || move.to !== "B"))).toEqual([]);
        const last = assignments.versionIndex[assignments.versionIndex.length - 1]!;
        expect([...last].every((index) => plan.labels[index] === "B")).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("in the ledger, with live objects, deferred updates, idles and deadlines", () => {
    const operation = fc.record({ touch: fc.array(fc.nat(299), { maxLength: 10 }), idle: fc.array(fc.nat(299), { maxLength: 10 }), advanceMs: fc.nat(2000) });
    let deferredSwitches = 0;
    fc.assert(
      fc.property(bShares, fc.boolean(), slotList, fc.boolean(), fc.array(operation, { minLength: 7, maxLength: 7 }), (shares, bFirst, slots, deferred, operations) => {
        const codeUpdate: CodeUpdate = deferred ? { mode: "deferred", maxDelayMs: 1000 } : { mode: "immediate" };
        const ledger = emptyLedger();
        applyDeployment(ledger, deployment([["A", 100]]), 0);
        slots.forEach((slot, index) => knowObject(ledger, { id: `o${index}`, slot }));
        const ids = Object.keys(ledger.objects);
        let nowMs = 0;
        shares.forEach((share, step) => {
          const { touch, idle, advanceMs } = operations[step]!;
          for (const index of touch) if (index < ids.length) touchObject(ledger, ids[index]!, nowMs);
          applyDeployment(ledger, deployment(entriesOf(share, bFirst), codeUpdate), nowMs);
          for (const index of idle) if (index < ids.length) objectIdle(ledger, ids[index]!, nowMs);
          nowMs += advanceMs;
          advanceLedger(ledger, nowMs);
        });
        // Let every waiting switch happen, then check.
        advanceLedger(ledger, nowMs + 1000);
        for (const count of resetCounts(ledger).values()) expect(count).toBeLessThanOrEqual(1);
        for (const record of Object.values(ledger.objects)) expect([record.assigned, record.running]).toEqual(["B", "B"]);
        expect(ledger.resets.every((reset) => reset.from === "A" && reset.to === "B")).toBe(true);
        deferredSwitches += ledger.resets.filter((reset) => reset.cause !== "code-update").length;
      }),
      { numRuns: 150 },
    );
    // Not vacuous: objects did wait and switch later (on idle or at their deadline).
    expect(deferredSwitches).toBeGreaterThan(0);
  });
});
