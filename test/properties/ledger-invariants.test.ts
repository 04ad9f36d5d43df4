/**
 * The ledger's bookkeeping over random sequences of deployments (immediate and deferred), requests,
 * idles, clock steps and newly known objects: a reset always changes the running version, and its
 * target is the version the object is assigned at that moment.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_COUNT } from "../../src/model/assignment.js";
import { advanceLedger, applyDeployment, emptyLedger, knowObject, objectIdle, touchObject, type LedgerState } from "../../src/model/ledger.js";
import type { CodeUpdate } from "../../src/model/types.js";
import { deployment } from "../helpers/model-fixtures.js";

const VERSIONS = ["A", "B", "C"];

type Operation =
  | { kind: "deploy"; versions: number[]; firstSlots: number; codeUpdate: CodeUpdate }
  | { kind: "touch" | "idle"; object: number }
  | { kind: "advance"; deltaMs: number }
  | { kind: "know"; slot: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant("deploy" as const),
    versions: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 2 }),
    firstSlots: fc.integer({ min: 0, max: SLOT_COUNT }),
    codeUpdate: fc.oneof(fc.constant<CodeUpdate>({ mode: "immediate" }), fc.nat(3000).map((maxDelayMs): CodeUpdate => ({ mode: "deferred", maxDelayMs }))),
  }),
  fc.record({ kind: fc.constantFrom("touch" as const, "idle" as const), object: fc.nat(40) }),
  fc.record({ kind: fc.constant("advance" as const), deltaMs: fc.nat(2500) }),
  fc.record({ kind: fc.constant("know" as const), slot: fc.integer({ min: 0, max: SLOT_COUNT - 1 }) }),
);

/** The object invariants that must hold between operations. */
function checkObjects(ledger: LedgerState): void {
  for (const record of Object.values(ledger.objects)) {
    if (record.pending === undefined) {
      expect(record.running).toBe(record.assigned);
    } else {
      expect(record.pending.to).toBe(record.assigned);
      expect(record.running).not.toBe(record.assigned);
      expect(record.live).toBe(true);
    }
    expect(record.history[record.history.length - 1]!.versionId).toBe(record.assigned);
  }
}

describe("property: ledger resets", () => {
  it("never reset to the same version, and always to the version assigned at the time", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: SLOT_COUNT - 1 }), { minLength: 1, maxLength: 20 }), fc.array(operation, { maxLength: 40 }), (slots, operations) => {
        const ledger = emptyLedger();
        applyDeployment(ledger, deployment([["A", 100]]), 0);
        slots.forEach((slot, index) => knowObject(ledger, { id: `o${index}`, slot }));
        let nowMs = 0;
        for (const op of operations) {
          const seen = ledger.resets.length;
          const ids = Object.keys(ledger.objects);
          switch (op.kind) {
            case "deploy": {
              const [first, second] = op.versions.map((index) => VERSIONS[index]!);
              const entries: [string, number][] =
                second === undefined ? [[first!, 100]] : [[first!, op.firstSlots / 1000], [second, (SLOT_COUNT - op.firstSlots) / 1000]];
              const effect = applyDeployment(ledger, deployment(entries, op.codeUpdate), nowMs);
              expect(ledger.resets.slice(seen)).toEqual(effect.resets);
              for (const move of effect.moves) expect(move.from).not.toBe(move.to);
              break;
            }
            case "touch": {
              const id = ids[op.object % ids.length]!;
              const served = touchObject(ledger, id, nowMs);
              expect(served.versionId).toBe(ledger.objects[id]!.running);
              break;
            }
            case "idle":
              objectIdle(ledger, ids[op.object % ids.length]!, nowMs);
              break;
            case "advance":
              nowMs += op.deltaMs;
              advanceLedger(ledger, nowMs);
              break;
            case "know":
              knowObject(ledger, { id: `o${ids.length}`, slot: op.slot });
              break;
          }
          for (const reset of ledger.resets.slice(seen)) {
            expect(reset.from).not.toBe(reset.to);
            expect(reset.to).toBe(ledger.objects[reset.objectId]!.assigned);
            expect(reset.atMs).toBeLessThanOrEqual(nowMs);
          }
          checkObjects(ledger);
        }
      }),
      { numRuns: 300 },
    );
  });
});
