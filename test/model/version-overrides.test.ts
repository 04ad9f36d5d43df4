import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DeploymentEntry } from "../../src/model/types.js";
import {
  formatOverridesHeader,
  overrideVersionFor,
  parseOverrides,
} from "../../src/model/version-overrides.js";

const A = "11111111-1111-4111-8111-111111111111";
/** Starts with a letter, so unquoted it is a valid sf-token: the parser must still refuse it. */
const B = "bbbbbbbb-2222-4222-8222-222222222222";
const OTHER = "33333333-3333-4333-8333-333333333333";

/** A deployment with B at 0%: the smoke-test setup the docs describe. */
const deployment: { entries: DeploymentEntry[] } = {
  entries: [
    { versionId: A, percentage: 100 },
    { versionId: B, percentage: 0 },
  ],
};

describe("overrideVersionFor", () => {
  it("returns the named version, even at 0%", () => {
    expect(overrideVersionFor(`my-worker="${B}"`, "my-worker", deployment)).toBe(B);
    expect(overrideVersionFor(`my-worker="${A}"`, "my-worker", deployment)).toBe(A);
  });

  it("picks this Worker's member out of several", () => {
    const header = `auth="${OTHER}", my-worker="${B}", billing="${A}"`;
    expect(overrideVersionFor(header, "my-worker", deployment)).toBe(B);
    expect(overrideVersionFor(header, "billing", deployment)).toBe(A);
    expect(overrideVersionFor(header, "auth", deployment)).toBeUndefined();
  });

  it("ignores parameters on the string", () => {
    expect(overrideVersionFor(`my-worker="${B}";note=1`, "my-worker", deployment)).toBe(B);
  });

  it("keeps the last of duplicate members, as RFC 8941 says", () => {
    expect(overrideVersionFor(`my-worker="${A}", my-worker="${B}"`, "my-worker", deployment)).toBe(B);
    expect(overrideVersionFor(`my-worker="${B}", my-worker=tok`, "my-worker", deployment)).toBeUndefined();
  });

  it.each([
    ["absent header", undefined],
    ["null header", null],
    ["empty header", ""],
    ["other Worker only", `other="${B}"`],
    ["version not in the deployment", `my-worker="${OTHER}"`],
    ["token instead of string", `my-worker=${B}`],
    ["byte sequence", `my-worker=:${btoa(B)}:`],
    ["inner list of strings", `my-worker=("${B}")`],
    ["bare key (boolean true)", "my-worker"],
    ["integer", "my-worker=2"],
    ["unquoted id starting with a digit", `my-worker=${A}`],
    ["single quotes", `my-worker='${B}'`],
    ["uppercase key", `My-Worker="${B}"`],
    ["space before =", `my-worker ="${B}"`],
    ["trailing comma", `my-worker="${B}",`],
    ["unterminated string", `my-worker="${B}`],
    ["non-ASCII in string", `my-worker="${B}é"`],
    ["RFC 9651 date elsewhere", `my-worker="${B}", at=@1700000000`],
    ["RFC 9651 date first", `at=@1700000000, my-worker="${B}"`],
    ["RFC 9651 display string", `my-worker="${B}", note=%"caf%c3%a9"`],
    ["RFC 9651 date as parameter", `my-worker="${B}";at=@1`],
  ])("falls through on %s", (_name, header) => {
    expect(overrideVersionFor(header, "my-worker", deployment)).toBeUndefined();
  });

  it("matches the Worker name exactly (keys are lowercase)", () => {
    expect(overrideVersionFor(`my-worker="${B}"`, "My-Worker", deployment)).toBeUndefined();
  });

  it("never throws, whatever the header", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (header) => {
        expect(() => overrideVersionFor(header, "a", deployment)).not.toThrow();
        expect(() => parseOverrides(header)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

/** Valid RFC 8941 keys, shaped like Worker names. */
const workerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
/** Printable ASCII, quotes and backslashes included: everything an sf-string can carry. */
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });

describe("formatOverridesHeader", () => {
  it("serialises a dictionary of strings", () => {
    const header = formatOverridesHeader({ "my-worker": B, auth: A });
    expect(header).toEqual({ ok: true, value: `my-worker="${B}", auth="${A}"` });
  });

  it("round-trips through parseOverrides", () => {
    fc.assert(
      fc.property(fc.dictionary(workerName, printable, { minKeys: 1, maxKeys: 4 }), (overrides) => {
        const header = formatOverridesHeader(overrides);
        if (!header.ok) throw new Error(header.error.message);
        expect(Object.fromEntries(parseOverrides(header.value))).toEqual(overrides);
      }),
    );
  });

  it("refuses names that are not dictionary keys and ids that are not printable ASCII", () => {
    const refused: Array<Record<string, string> | Map<string, string>> = [
      { "My-Worker": B },
      { "1worker": B },
      { "my-worker": "é" },
      new Map([["a", "\n"]]),
    ];
    for (const bad of refused) {
      const header = formatOverridesHeader(bad);
      expect(header.ok).toBe(false);
      if (!header.ok) expect(header.error.code).toBe("invalid-input");
    }
  });
});
