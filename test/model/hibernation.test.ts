/**
 * An instance holding a standard-API WebSocket cannot hibernate (docs "Lifecycle of a Durable
 * Object": hibernation needs, among others, no WebSocket accepted with the standard API; such an
 * instance is evicted after 70–140 s of inactivity instead), until the instance ends.
 */
import { describe, expect, it } from "vitest";
import { advanceLedger, applyDeployment, emptyLedger, knowObject, markNotHibernatable, touchObject } from "../../src/model/ledger.js";
import { HIBERNATE_AFTER_MS, EVICT_AFTER_MAX_MS } from "../../src/model/lifecycle.js";
import { deployment } from "../helpers/model-fixtures.js";

function ledgerWithLiveObject() {
  const ledger = emptyLedger("seed");
  applyDeployment(ledger, deployment([["A", 100]], undefined, "d0"), 0);
  knowObject(ledger, { id: "room", slot: 10_000 });
  return ledger;
}

describe("markNotHibernatable", () => {
  it("keeps a live instance from hibernating: it is evicted within 70–140 s instead", () => {
    const ledger = ledgerWithLiveObject();
    touchObject(ledger, "room", 1_000);
    expect(markNotHibernatable(ledger, "room")).toBe(true);
    advanceLedger(ledger, 1_000 + HIBERNATE_AFTER_MS + 1);
    expect(ledger.objects.room!.live).toBe(true);
    advanceLedger(ledger, 1_000 + EVICT_AFTER_MAX_MS);
    expect(ledger.ends.map((end) => end.reason)).toEqual(["evicted"]);
  });

  it("lasts only until the instance ends; the next instance may hibernate", () => {
    const ledger = ledgerWithLiveObject();
    touchObject(ledger, "room", 0);
    markNotHibernatable(ledger, "room");
    advanceLedger(ledger, EVICT_AFTER_MAX_MS);
    touchObject(ledger, "room", EVICT_AFTER_MAX_MS);
    advanceLedger(ledger, EVICT_AFTER_MAX_MS + HIBERNATE_AFTER_MS);
    expect(ledger.ends.map((end) => end.reason)).toEqual(["evicted", "hibernated"]);
  });

  it("changes nothing for an object with no live instance, or one not known", () => {
    const ledger = ledgerWithLiveObject();
    expect(markNotHibernatable(ledger, "room")).toBe(false);
    expect(markNotHibernatable(ledger, "nowhere")).toBe(false);
    expect(ledger.objects.room!.hibernatable).toBeUndefined();
  });
});
