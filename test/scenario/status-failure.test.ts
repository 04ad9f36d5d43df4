/**
 * A failed status expectation says what the Worker threw during the step: the first exception of
 * the step's trace events, with its version's label (a 500 alone sends the user to the traces).
 */
import { describe, expect, it } from "vitest";
import { checkResponses, ExpectationLog, type StepObservations, type WorldView } from "../../src/scenario/expectations.js";
import { emptyTally } from "../../src/scenario/run-host.js";

const WORLD = { labelOf: () => "A" } as unknown as WorldView;

function statusMessage(observed: StepObservations): string {
  const log = new ExpectationLog();
  const tally = { ...emptyTally(), requests: 1, statuses: { 500: 1 } };
  checkResponses(log, 2, { status: 200 }, tally, observed, WORLD);
  return log.items.find((item) => item.name === "status")!.message;
}

describe("a failed status expectation", () => {
  it("names what the Worker threw, on which version", () => {
    const observed = { errors: { A: 1 }, objects: {}, firstException: { label: "A", name: "TypeError", message: "config value missing: API_URL" } };
    expect(statusMessage(observed)).toBe("Not every response had status 200. A threw TypeError: config value missing: API_URL");
  });

  it("says only what it saw when nothing threw", () => {
    expect(statusMessage({ errors: {}, objects: {} })).toBe("Not every response had status 200.");
  });
});
