import { describe, expect, it } from "vitest";
import { checkTraffic, checkVersionId, distributePercentages, parseVersionSpecArgs } from "../../src/model/version-specs.js";

// Source: wrangler packages/wrangler/src/versions/deploy.ts (parseVersionSpecs, parseTagSpecs,
// splitTagSpec, assignAndDistributePercentages, validateTrafficSubtotal) and its messages.
const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";

const parsed = (args: Parameters<typeof parseVersionSpecArgs>[0]) => {
  const result = parseVersionSpecArgs(args);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const message = (args: Parameters<typeof parseVersionSpecArgs>[0]) => {
  const result = parseVersionSpecArgs(args);
  return result.ok ? "" : result.error.message;
};

describe("wrangler's version specs", () => {
  it("reads positional <version-id>@<percentage>, a % sign, and ids paired with --percentage by position", () => {
    expect([...parsed({ specs: [`${A}@20%`, B] }).byId]).toEqual([[A, 20], [B, null]]);
    expect([...parsed({ versionIds: [A, B], percentages: ["30", "70"] }).byId]).toEqual([[A, 30], [B, 70]]);
  });

  it("keeps one place for a version named twice, as wrangler's map does", () => {
    expect([...parsed({ specs: [`${A}@40`, `${A}@60`] }).byId]).toEqual([[A, 60]]);
  });

  it("refuses a positional tag (tags go through --version-tag) and a --version-id that is not a UUID", () => {
    expect(message({ specs: ["v1@100"] })).toMatch(/^"v1" is not a valid Version ID\. Version IDs must be UUIDs .*--version-tag/);
    expect(message({ versionIds: ["abc"] })).toMatch(/^"abc" is not a valid Version ID/);
    expect(checkVersionId(A)).toEqual({ ok: true, value: A });
  });

  it("refuses an unparsable or out-of-range percentage in wrangler's words", () => {
    expect(message({ specs: [`${A}@abc`] })).toBe(`Could not parse percentage value from version-spec positional arg "${A}@abc". Expected format: <version-id>@<percentage> (e.g. \`<version-id>@50%\`).`);
    expect(message({ specs: [`${A}@101`] })).toBe(`Percentage value 101% (from version-spec positional arg "${A}@101") is out of range. Percentages must be between 0 and 100.`);
    expect(message({ versionIds: [A], percentages: ["-1"] })).toBe("The --percentage value -1% is out of range. Percentages must be between 0 and 100.");
  });

  it("splits --version-tag at the last @ only before a percentage", () => {
    expect([...parsed({ versionTags: ["v1.0@beta@100%", "v1.0@beta", "sha@"] }).byTag]).toEqual([["v1.0@beta", null], ["sha", null]]);
    expect([...parsed({ versionTags: ["v2@25"] }).byTag]).toEqual([["v2", 25]]);
    expect(message({ versionTags: ["@50"] })).toBe('Could not parse a tag from --version-tag arg "@50".');
  });

  it("shares the rest evenly, and checks count and sum (0.001 slack)", () => {
    expect([...distributePercentages(new Map([[A, 30], [B, null]]))]).toEqual([[A, 30], [B, 70]]);
    expect(checkTraffic(new Map(), 2).ok).toBe(false);
    expect(checkTraffic(new Map([[A, 50], [B, 49.9995]]), 2).ok).toBe(true);
    const sum = checkTraffic(new Map([[A, 50], [B, 40]]), 2);
    expect(!sum.ok && sum.error.message).toBe("The specified traffic percentages add up to 90%, but must total exactly 100%. Adjust the --percentage values or version-spec percentages so they sum to 100%.");
    const many = checkTraffic(new Map([[A, 50], [B, 25], ["c", 25]]), 2);
    expect(!many.ok && many.error.message).toMatch(/^Too many versions selected\. You can deploy at most 2 version\(s\) at a time\./);
  });
});
