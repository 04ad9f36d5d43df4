import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/model/random.js";
import { chooseRequestVersion, createRequestRouter } from "../../src/model/request-routing.js";
import type { DeploymentEntry } from "../../src/model/types.js";

const A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const WORKER = "my-worker";

/** A two-version deployment: `b` gets `bSlots` thousandths of a percent, listed first or second. */
function split(bSlots: number, bFirst: boolean): { entries: DeploymentEntry[] } {
  const b = { versionId: B, percentage: bSlots / 1000 };
  const a = { versionId: A, percentage: (100_000 - bSlots) / 1000 };
  return { entries: bFirst ? [b, a] : [a, b] };
}

/** Percentages with up to 3 decimals, as whole slots (0% and 100% included). */
const slots = fc.integer({ min: 0, max: 100_000 });
const key = fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 });
const seed = fc.string({ maxLength: 12 });

describe("chooseRequestVersion", () => {
  const deployment = split(0, false);

  it("follows the precedence override → version key → random", () => {
    const random = createRandom("p");
    const base = { workerName: WORKER, random };
    expect(chooseRequestVersion(deployment, { ...base, overridesHeader: `${WORKER}="${B}"`, versionKey: "k" })).toEqual({
      versionId: B,
      reason: "override",
    });
    expect(chooseRequestVersion(deployment, { ...base, overridesHeader: `other="${B}"`, versionKey: "k" })).toEqual({
      versionId: A,
      reason: "version-key",
    });
    expect(chooseRequestVersion(deployment, { ...base, overridesHeader: "garbage(", versionKey: "" })).toEqual({
      versionId: A,
      reason: "random",
    });
  });

  it("draws exactly one number per request, whatever decides it", () => {
    const requests = [{}, { versionKey: "k" }, { overridesHeader: `${WORKER}="${B}"` }, { overridesHeader: "x=" }];
    for (const request of requests) {
      let calls = 0;
      chooseRequestVersion(deployment, { workerName: WORKER, ...request, random: () => (calls++, 0.5) });
      expect(calls).toBe(1);
    }
  });

  it("refuses a deployment without versions", () => {
    expect(() => createRequestRouter({ entries: [] }, WORKER)).toThrow(/at least one version/);
  });
});

describe("routing properties", () => {
  it("(a) the same key gets the same version within a deployment", () => {
    fc.assert(
      fc.property(slots, fc.boolean(), key, seed, (bSlots, bFirst, versionKey, s) => {
        const route = createRequestRouter(split(bSlots, bFirst), WORKER);
        const random = createRandom(s);
        const first = route({ versionKey, random });
        expect(first.reason).toBe("version-key");
        for (let i = 0; i < 5; i++) expect(route({ versionKey, random })).toEqual(first);
        expect(chooseRequestVersion(split(bSlots, bFirst), { workerName: WORKER, versionKey, random })).toEqual(first);
      }),
    );
  });

  it("(b) keys on a version stay there when its percentage rises, order unchanged", () => {
    fc.assert(
      fc.property(slots, slots, fc.boolean(), fc.array(key, { minLength: 1, maxLength: 50 }), (x, y, bFirst, keys) => {
        const [before, after] = x <= y ? [x, y] : [y, x];
        const oldRoute = createRequestRouter(split(before, bFirst), WORKER);
        const newRoute = createRequestRouter(split(after, bFirst), WORKER);
        const random = () => 0.5;
        for (const versionKey of keys) {
          if (oldRoute({ versionKey, random }).versionId === B) {
            expect(newRoute({ versionKey, random }).versionId).toBe(B);
          }
        }
      }),
    );
  });

  it("(c) random draws realise each percentage within 5 sigma over 100k requests", () => {
    const requests = 100_000;
    fc.assert(
      fc.property(slots, fc.boolean(), seed, (bSlots, bFirst, s) => {
        const route = createRequestRouter(split(bSlots, bFirst), WORKER);
        const random = createRandom(s);
        let onB = 0;
        for (let i = 0; i < requests; i++) if (route({ random }).versionId === B) onB++;
        const p = bSlots / 100_000;
        const sigma = Math.sqrt(requests * p * (1 - p));
        // 0% and 100% are exact: a version at 0% never gets random traffic.
        expect(Math.abs(onB - requests * p)).toBeLessThanOrEqual(5 * sigma);
      }),
      { numRuns: 25 },
    );
  });

  it("(d) an override to a 0% version wins; malformed headers fall through as if absent", () => {
    const zeroB = split(0, true);
    fc.assert(
      fc.property(seed, key, (s, versionKey) => {
        const route = createRequestRouter(zeroB, WORKER);
        expect(route({ overridesHeader: `${WORKER}="${B}"`, versionKey, random: createRandom(s) })).toEqual({
          versionId: B,
          reason: "override",
        });
      }),
    );
    const header = fc.oneof(
      fc.string({ unit: "binary", maxLength: 60 }),
      fc.constantFrom(`${WORKER}=${B}`, `${WORKER}=:${B}:`, `${WORKER}=("${B}")`, `${WORKER}="${B}",`, `${WORKER}`),
    );
    fc.assert(
      fc.property(slots, fc.boolean(), seed, fc.option(key), header, (bSlots, bFirst, s, versionKey, overridesHeader) => {
        const deployment = split(bSlots, bFirst);
        const withHeader = createRequestRouter(deployment, WORKER)({ overridesHeader, versionKey, random: createRandom(s) });
        const without = createRequestRouter(deployment, WORKER)({ versionKey, random: createRandom(s) });
        expect(withHeader).toEqual(without);
      }),
      { numRuns: 300 },
    );
  });

  it("a header on one request does not change the versions drawn for the others", () => {
    fc.assert(
      fc.property(slots, seed, fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (bSlots, s, pinned) => {
        const deployment = split(bSlots, false);
        const plain = createRequestRouter(deployment, WORKER);
        const mixed = createRequestRouter(deployment, WORKER);
        const plainRandom = createRandom(s);
        const mixedRandom = createRandom(s);
        pinned.forEach((pin) => {
          const expected = plain({ random: plainRandom });
          const actual = mixed({ random: mixedRandom, ...(pin ? { overridesHeader: `${WORKER}="${B}"` } : {}) });
          // A pinned request is served by the override; the others get the draw they would have had.
          expect(actual).toEqual(pin ? { versionId: B, reason: "override" } : expected);
        });
      }),
    );
  });
});
