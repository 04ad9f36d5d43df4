import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { STEP_ACTIONS } from "../../src/scenario/schema.js";
import { parseScenario } from "../../src/scenario/load.js";
import { INLINE_FILE } from "./load-helpers.js";

/** Values a careless hand might write: keys from the format, labels, specs, numbers, nesting. */
const words = fc.constantFrom(...STEP_ACTIONS, "A", "B", "C", "B@20,A@80", "A@100", "{B: 20}", "5m", "x", "", "full", "count", "refused", "10211", "objects", "resets", "total", "during", "afterRequests", "foo");
const scalar = fc.oneof(words, fc.integer({ min: -5, max: 200 }), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(words, tie("node"), { maxKeys: 4 })),
})).node;
const step = fc.dictionary(words, value, { minKeys: 1, maxKeys: 4 });
const file = fc.record(
  {
    name: fc.oneof(words, scalar),
    versions: fc.oneof(fc.dictionary(fc.constantFrom("A", "B", "C"), fc.oneof(fc.constant(null), fc.dictionary(words, value, { maxKeys: 3 })), { maxKeys: 3 }), value),
    steps: fc.array(step, { maxLength: 8 }),
    objects: value,
    codeUpdate: value,
  },
  { requiredKeys: [] },
);

describe("scenario loader on arbitrary input", () => {
  it("never throws, and every issue it reports has a position inside the file", () => {
    fc.assert(
      fc.property(file, (data) => {
        const text = stringify(data);
        const lineCount = text.split("\n").length;
        const loaded = parseScenario(text, INLINE_FILE);
        if (loaded.ok) return;
        expect(loaded.issues.length).toBeGreaterThan(0);
        for (const issue of loaded.issues) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(lineCount);
          expect(issue.column).toBeGreaterThanOrEqual(1);
          expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400, seed: 20260401 },
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() => parseScenario(text, INLINE_FILE)).not.toThrow();
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
