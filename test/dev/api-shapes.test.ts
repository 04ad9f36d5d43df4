/** The account API's shapes: a deployment's effect as the verbs print it. */
import { describe, expect, it } from "vitest";
import { apiEffect } from "../../src/dev/api-shapes.js";
import type { DeploymentEffect } from "../../src/model/ledger.js";

describe("apiEffect", () => {
  it("gives each deferred object the version it moved from, and names the objects it knows", () => {
    const count = 2000;
    const ids = Array.from({ length: count }, (_, index) => `o${index}`);
    const effect: DeploymentEffect = {
      deploymentId: "d2",
      moves: ids.map((objectId, index) => ({ objectId, from: index % 2 === 0 ? "A" : "B", to: "C" })),
      resets: [],
      // Deferred in the reverse order of the moves, plus one that never moved.
      deferred: [...[...ids].reverse(), "unmoved"].map((objectId) => ({ objectId, pending: { to: "C", deploymentId: "d2", deadlineMs: 300_000 } })),
    };
    const shown = apiEffect(effect, { o0: "foo" }, count + 1);
    expect(shown.objects_known).toBe(count + 1);
    expect(shown.moved).toHaveLength(count);
    expect(shown.deferred).toHaveLength(count + 1);
    expect(shown.deferred[0]).toEqual({ object_id: `o${count - 1}`, from: "B", to: "C", deadline: "1970-01-01T00:05:00.000Z" });
    expect(shown.deferred[count - 1]).toEqual({ object_id: "o0", name: "foo", from: "A", to: "C", deadline: "1970-01-01T00:05:00.000Z" });
    expect(shown.deferred[count]).toEqual({ object_id: "unmoved", from: "", to: "C", deadline: "1970-01-01T00:05:00.000Z" });
  });
});
