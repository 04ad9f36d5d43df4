import { describe, expect, it } from "vitest";
import {
  checkOneResetPerProgression,
  checkResetOnlyOnVersionChange,
  checkRisingVersionKeepsObjects,
  checkSameVersionWithinDeployment,
  isMonotoneProgression,
  resetCounter,
  risesInPlace,
} from "../../src/model/checkers/guarantees.js";
import { MAX_LISTED_VIOLATIONS, ViolationLog, type RolloutView, type ViewEntry } from "../../src/model/checkers/rollout-view.js";

/** "B@20,A@80" → entries. */
const entries = (spec: string): ViewEntry[] =>
  spec.split(",").map((item) => {
    const [version, percentage] = item.split("@");
    return { version: version!, percentage: Number(percentage) };
  });

/** A view from specs and one string per object: its version at each step ("AABB"; "-" = unknown). */
function view(specs: string[], objects: string[]): RolloutView {
  return {
    steps: specs.map(entries),
    objectCount: objects.length,
    versionAt: (object, step) => {
      const version = objects[object]![step];
      return version === "-" ? undefined : version;
    },
    objectName: (object) => `obj${object}`,
  };
}

const DOCS = ["A@100", "B@20,A@80", "B@50,A@50", "B@100"];

describe("(a) same version within a deployment", () => {
  const rollout = view(DOCS, ["AABB", "AAAB"]);

  it("holds when every request to an object in a step saw one version", () => {
    const result = checkSameVersionWithinDeployment(rollout, [
      { object: 0, step: 2, version: "B" },
      { object: 0, step: 2, version: "B" },
      { object: 1, step: 2, version: "A" },
      { object: 1, step: 3, version: "B" },
    ]);
    expect(result).toMatchObject({ name: "same-version-within-deployment", applicable: true, holds: true, checked: 4, violationCount: 0, violations: [] });
  });

  // Docs "Durable Objects code updates": with the default deferred strategy an active object keeps
  // running its current version until it hibernates or max_delay passes. Running A, then B, within
  // the deployment that assigns B is that lag, not a violation.
  it("accepts the deferred lag: the old version, then the assigned one, within one deployment", () => {
    const result = checkSameVersionWithinDeployment(rollout, [
      { object: 0, step: 0, version: "A" },
      { object: 0, step: 2, version: "A" },
      { object: 0, step: 2, version: "A" },
      { object: 0, step: 2, version: "B" },
      { object: 0, step: 3, version: "B" },
    ]);
    expect(result).toMatchObject({ holds: true, checked: 5, violationCount: 0 });
  });

  it("flags going back to the old version after the update landed, once however many requests saw it", () => {
    const result = checkSameVersionWithinDeployment(rollout, [
      { object: 0, step: 2, version: "B" },
      { object: 0, step: 2, version: "A" },
      { object: 0, step: 2, version: "A" },
      { object: 0, step: 3, version: "B" },
    ]);
    expect(result.holds).toBe(false);
    expect(result.violationCount).toBe(1);
    expect(result.violations).toEqual(["obj0 ran A after it had switched to B during deployment 3"]);
  });

  it("flags a version the object was never assigned, and names the deployment as the view does", () => {
    const named: RolloutView = { ...rollout, deploymentName: (step) => `the deployment of step ${step * 2 + 1}` };
    const result = checkSameVersionWithinDeployment(named, [
      { object: 1, step: 1, version: "C" },
      { object: 1, step: 1, version: "C" },
    ]);
    expect(result.violationCount).toBe(1);
    expect(result.violations).toEqual(["obj1 ran C while assigned A during the deployment of step 3"]);
  });

  it("is not applicable without observations", () => {
    expect(checkSameVersionWithinDeployment(rollout, [])).toMatchObject({ applicable: false, holds: true, checked: 0 });
  });
});

describe("risesInPlace", () => {
  it("accepts a rising version that is first in both or last in both", () => {
    expect(risesInPlace(entries("B@20,A@80"), entries("B@50,A@50"), "B")).toBe(true);
    expect(risesInPlace(entries("A@80,B@20"), entries("A@50,B@50"), "B")).toBe(true);
    expect(risesInPlace(entries("B@50,A@50"), entries("B@100"), "B")).toBe(true);
    expect(risesInPlace(entries("A@50,B@50"), entries("B@100"), "B")).toBe(true);
    expect(risesInPlace(entries("A@100,B@0"), entries("A@90,B@10"), "B")).toBe(true);
  });

  it("rejects a falling, equal, absent or moved version", () => {
    expect(risesInPlace(entries("B@20,A@80"), entries("B@50,A@50"), "A")).toBe(false);
    expect(risesInPlace(entries("B@20,A@80"), entries("B@20,A@80"), "B")).toBe(false);
    expect(risesInPlace(entries("A@100"), entries("B@20,A@80"), "B")).toBe(false);
    expect(risesInPlace(entries("B@20,A@80"), entries("A@50,B@50"), "B")).toBe(false);
    expect(risesInPlace(entries("A@20,B@80"), entries("B@90,A@10"), "B")).toBe(false);
  });

  it("accepts a middle version only in the same list with nothing growing ahead of it", () => {
    expect(risesInPlace(entries("A@30,B@20,C@50"), entries("A@20,B@40,C@40"), "B")).toBe(true);
    expect(risesInPlace(entries("A@30,B@20,C@50"), entries("A@40,B@30,C@30"), "B")).toBe(false);
    expect(risesInPlace(entries("A@30,B@20,C@50"), entries("C@10,B@40,A@50"), "B")).toBe(false);
  });
});

describe("(b) a rising version keeps its objects", () => {
  it("holds for the docs' progression and counts what it checked", () => {
    const result = checkRisingVersionKeepsObjects(view(DOCS, ["AABB", "AAAB", "ABBB"]));
    // Step 3: B rose and had obj2; step 4: B rose and had obj0 and obj2.
    expect(result).toMatchObject({ name: "rising-version-keeps-objects", applicable: true, holds: true, checked: 3 });
  });

  it("flags an object that left a version whose share rose", () => {
    const result = checkRisingVersionKeepsObjects(view(DOCS, ["ABAB", "AAAB"]));
    expect(result.holds).toBe(false);
    expect(result.violationCount).toBe(1);
    expect(result.violations).toEqual(["obj0 left B for A at deployment 3 although B rose"]);
  });

  it("ignores objects not known at the step and does not apply to a reorder", () => {
    expect(checkRisingVersionKeepsObjects(view(DOCS, ["--BB"])).holds).toBe(true);
    const reordered = checkRisingVersionKeepsObjects(view(["A@100", "B@20,A@80", "A@50,B@50"], ["ABA"]));
    expect(reordered).toMatchObject({ applicable: false, holds: true, checked: 0 });
  });
});

describe("(c) resets only on a version change", () => {
  const rollout = view(DOCS, ["AABB", "AAAB"]);

  it("holds when each reset goes to the version assigned at its step", () => {
    const result = checkResetOnlyOnVersionChange(rollout, [
      { object: 0, step: 2, from: "A", to: "B" },
      { object: 1, step: 3, from: "A", to: "B" },
    ]);
    expect(result).toMatchObject({ name: "reset-only-on-version-change", applicable: true, holds: true, checked: 2 });
  });

  it("flags a reset to the same version and a reset to a version not assigned", () => {
    const result = checkResetOnlyOnVersionChange(rollout, [
      { object: 1, step: 2, from: "A", to: "A" },
      { object: 0, step: 1, from: "A", to: "B" },
      { object: 0, step: 2, from: "A", to: "B" },
    ]);
    expect(result.holds).toBe(false);
    expect(result.violations).toEqual([
      "obj1 was reset from A to A at deployment 3 while assigned A",
      "obj0 was reset from A to B at deployment 2 while assigned A",
    ]);
  });

  it("is not applicable without resets", () => {
    expect(checkResetOnlyOnVersionChange(rollout, [])).toMatchObject({ applicable: false, holds: true });
  });
});

describe("(c) one reset per plain progression", () => {
  it("recognises plain progressions", () => {
    expect(isMonotoneProgression(DOCS.map(entries))).toBe(true);
    expect(isMonotoneProgression(["A@100", "A@80,B@20", "A@0,B@100"].map(entries))).toBe(true);
    expect(isMonotoneProgression(["A@100"].map(entries))).toBe(false);
    expect(isMonotoneProgression(["A@100", "B@20,A@80", "B@10,A@90"].map(entries))).toBe(false);
    expect(isMonotoneProgression(["A@100", "B@20,A@80", "A@50,B@50"].map(entries))).toBe(false);
    expect(isMonotoneProgression(["A@100", "B@20,A@80", "C@100"].map(entries))).toBe(false);
    expect(isMonotoneProgression(["A@100", "B@100", "A@100"].map(entries))).toBe(false);
  });

  it("holds when each object resets at most once", () => {
    const rollout = view(DOCS, ["AABB", "AAAB", "AAAA"]);
    const resets = [
      { object: 0, step: 2, from: "A", to: "B" },
      { object: 1, step: 3, from: "A", to: "B" },
    ];
    expect(checkOneResetPerProgression(rollout, resetCounter(resets))).toMatchObject({ applicable: true, holds: true, checked: 3 });
  });

  it("flags an object reset twice", () => {
    const rollout = view(DOCS, ["AABB", "AAAB"]);
    const resets = [
      { object: 0, step: 2, from: "A", to: "B" },
      { object: 0, step: 3, from: "B", to: "B" },
    ];
    const result = checkOneResetPerProgression(rollout, resetCounter(resets));
    expect(result.holds).toBe(false);
    expect(result.violations).toEqual(["obj0 was reset 2 times in a plain progression"]);
  });

  it("does not judge rollouts that are not plain progressions", () => {
    const rollout = view(["A@100", "B@20,A@80", "A@50,B@50"], ["ABA"]);
    expect(checkOneResetPerProgression(rollout, () => 2)).toMatchObject({ applicable: false, holds: true, checked: 0 });
  });

  it("resetCounter counts per object", () => {
    const count = resetCounter([
      { object: 3, step: 1, from: "A", to: "B" },
      { object: 3, step: 2, from: "B", to: "A" },
    ]);
    expect([count(3), count(0)]).toEqual([2, 0]);
  });
});

describe("ViolationLog", () => {
  it("counts every violation and words only the first few", () => {
    const log = new ViolationLog();
    let worded = 0;
    for (let index = 0; index < 25; index++) {
      log.add(() => {
        worded++;
        return `v${index}`;
      });
    }
    expect(log.count).toBe(25);
    expect(log.listed).toHaveLength(MAX_LISTED_VIOLATIONS);
    expect(log.listed[0]).toBe("v0");
    expect(worded).toBe(MAX_LISTED_VIOLATIONS);
  });

  it("a checker reports the full count but lists at most the limit", () => {
    const objects = Array.from({ length: 30 }, () => "ABAB");
    const result = checkRisingVersionKeepsObjects(view(DOCS, objects));
    expect(result.violationCount).toBe(30);
    expect(result.violations).toHaveLength(MAX_LISTED_VIOLATIONS);
  });
});
