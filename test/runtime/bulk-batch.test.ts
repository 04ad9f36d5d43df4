import { describe, expect, it } from "vitest";
import { RESET, THROWN, runBatch, thrownFlags } from "../../src/runtime/workers/bulk-batch.js";

describe("a bulk batch", () => {
  it("flags each request by what it answered or threw, whatever was thrown", async () => {
    const reset = Object.assign(new Error("Durable Object reset because its code was updated."), { durableObjectReset: true });
    const answers: Record<string, () => Promise<Response>> = {
      "/ok": async () => new Response("hi"),
      "/reset": () => Promise.reject(reset),
      "/null": () => Promise.reject(null),
      "/plain": () => Promise.reject(new Error("boom")),
    };
    const requests = Object.keys(answers).map((path, index) => ({ index, path }));
    const outcome = await runBatch((request) => answers[new URL(request.url).pathname]!(), { method: "GET", requests });
    expect(outcome).toEqual({ status: [200, 0, 0, 0], flags: [0, THROWN | RESET, THROWN, THROWN] });
  });

  it("reads the reset flag off any thrown value", () => {
    expect(thrownFlags({ durableObjectReset: true })).toBe(THROWN | RESET);
    expect(thrownFlags(undefined)).toBe(THROWN);
    expect(thrownFlags("text")).toBe(THROWN);
  });
});
