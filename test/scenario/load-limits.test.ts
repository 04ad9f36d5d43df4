/**
 * Input at the edges of what a scenario may say: alias bombs, seeds, durations and waits beyond
 * the virtual clock's range, and union-typed fields; each refused with a message that says what
 * the value may be, at the value that is wrong.
 */
import { describe, expect, it } from "vitest";
import { LATEST_VIRTUAL_TIME_MS } from "../../src/model/clock.js";
import { DEFAULT_START_MS } from "../../src/runtime/simulator-types.js";
import { issuesOf, loadValid, where } from "./load-helpers.js";

const HEAD = ["name: inline", "versions: { A: {}, B: {} }"];

describe("scenario loader: limits", () => {
  it("points a YAML alias bomb at the alias that overflows, and says what to do", () => {
    const issues = issuesOf([
      "name: bomb",
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "versions: { A: {} }",
      "steps: [{ deploy: A }]",
    ]);
    // *a..*c weigh 1, 10 and 91 each (9·1 + 9·10 + 9·91 = 918); the first *d (820) passes 1000.
    expect(where(issues)).toEqual([{ line: 6, column: 8, path: "", code: "yaml-syntax" }]);
    expect(issues[0]!.message).toMatch(/^this alias takes the file past 1000 expanded aliases .*write the values out/);
  });

  it("says what a seed may be", () => {
    for (const seed of ["1.5", "-1", '""', "[1]"]) {
      const issues = issuesOf(["name: inline", `seed: ${seed}`, "versions: { A: {} }", "steps: [{ deploy: A }]"]);
      expect(where(issues)).toEqual([{ line: 2, column: 7, path: "seed", code: expect.stringMatching(/^invalid-(type|value)$/) }]);
      expect(issues[0]!.message).toBe("a seed is a whole number from 0 up (for example 1) or non-empty text (for example release-42)");
    }
    expect(loadValid(["name: inline", "seed: release-42", "versions: { A: {} }", "steps: [{ deploy: A }]"]).seed).toBe("release-42");
  });

  it("never answers a union-typed field with a bare 'Invalid input'", () => {
    const issues = issuesOf([
      ...HEAD,
      "objects: [foo]",
      "steps:",
      "  - deploy: A",
      "  - traffic: 10",
      "    keys: 1.5",
      "  - traffic: 10",
      "    objects: some",
      "  - idle: 3",
    ]);
    expect(issues.map((issue) => issue.path)).toEqual(["steps[1].keys", "steps[2].objects", "steps[3].idle"]);
    for (const issue of issues) expect(issue.message).not.toMatch(/^Invalid input/);
    expect(issues.map((issue) => issue.message)).toEqual([
      "keys is a count from 1 to 100000 (key-1, key-2, ...) or a list of non-empty keys",
      "objects is all (every declared object) or a list of object names",
      "idle names an object, or a list of objects",
    ]);
  });

  it("refuses a duration longer than the virtual clock's whole range, wherever it is written", () => {
    const issues = issuesOf([
      ...HEAD,
      "codeUpdate: { mode: deferred, maxDelay: 99999999999999999d }",
      "steps:",
      "  - deploy: A",
      "  - wait: 99999999999999999d",
      "  - upload: B",
      "  - traffic: 10",
      `    during: { deploy: B, hold: ${"9".repeat(400)}s }`,
    ]);
    expect(where(issues)).toEqual([
      { line: 3, column: 41, path: "codeUpdate.maxDelay", code: "invalid-value" },
      { line: 6, column: 11, path: "steps[1].wait", code: "invalid-value" },
      { line: 9, column: 32, path: "steps[3].during.hold", code: "invalid-value" },
    ]);
    for (const issue of issues) expect(issue.message).toBe("this duration runs past the end of the virtual clock (9999-12-31T23:59:59.999Z); use a shorter one");
  });

  it("refuses waits that add up past the end of the virtual clock, at the wait that crosses it", () => {
    const dayMs = 86_400_000;
    const roomDays = Math.floor((LATEST_VIRTUAL_TIME_MS - DEFAULT_START_MS) / dayMs);
    const fits = loadValid([...HEAD, "steps:", "  - deploy: A", `  - wait: ${roomDays}d`, "  - upload: B"]);
    expect(fits.steps[1]).toMatchObject({ kind: "wait", durationMs: roomDays * dayMs });
    const issues = issuesOf([...HEAD, "steps:", "  - deploy: A", `  - wait: ${roomDays - 10}d`, "  - wait: 11d", "  - wait: 1d", "  - upload: B"]);
    expect(where(issues)).toEqual([{ line: 6, column: 11, path: "steps[2].wait", code: "invalid-value" }]);
    expect(issues[0]!.message).toMatch(/^this wait takes the virtual clock past 9999-12-31T23:59:59.999Z, the latest time it can show; the waits may add up to at most \d+ ms more here$/);
  });

  it("bounds the deferred-delay limits by the same range", () => {
    const issues = issuesOf(["name: inline", "limits: { maxDeferredDelayMs: 9007199254740991 }", "versions: { A: {} }", "steps: [{ deploy: A }]"]);
    expect(where(issues)).toEqual([{ line: 2, column: 31, path: "limits.maxDeferredDelayMs", code: "invalid-value" }]);
    expect(issues[0]!.message).toBe(`must be at most ${LATEST_VIRTUAL_TIME_MS}`);
  });
});
