/** The control plane's instance journal keeps counts of everything and a bounded window of events. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InstanceJournal } from "../../src/runtime/workers/instance-journal.js";

const KINDS = ["start", "refused", "stop"] as const;

describe("InstanceJournal", () => {
  it("counts every event and keeps exactly the newest `limit` of them, in order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(fc.constantFrom(...KINDS), fc.boolean()), { maxLength: 120 }), (limit, events) => {
        const journal = new InstanceJournal(limit);
        events.forEach(([kind, overlapping], index) => {
          journal.record({ kind, objectId: `o${index % 3}`, versionId: "v", instance: `i${index}`, atMs: index, ...(overlapping && { overlapsWith: "x" }) });
        });
        const recent = journal.recent();
        expect(recent.map((event) => event.seq)).toEqual(events.map((_, index) => index).slice(-limit));
        expect(recent.map((event) => event.instance)).toEqual(events.map((_, index) => `i${index}`).slice(-limit));
        const count = (kind: string) => events.filter(([candidate]) => candidate === kind).length;
        expect(journal.counts()).toEqual({
          started: count("start"),
          refused: count("refused"),
          stopped: count("stop"),
          overlapping: events.filter(([, overlapping]) => overlapping).length,
        });
      }),
    );
  });
});
