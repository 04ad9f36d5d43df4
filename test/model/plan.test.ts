import { describe, expect, it } from "vitest";
import { withLimits } from "../../src/model/limits.js";
import { objectSlotsFromNames } from "../../src/model/object-slots.js";
import { assignPlan, planRollout, type PlanStepInput } from "../../src/model/plan.js";
import { refusal, unwrap } from "../helpers/model-fixtures.js";

const DOCS_STEPS: PlanStepInput[] = [{ spec: "A@100" }, { spec: "B@20,A@80" }, { spec: "B@50,A@50" }, { spec: "B@100" }];
const NAMES = ["foo", "bar", "baz"];
const NAMESPACE = "hello-Counter";

describe("planRollout: the docs' progression over foo, bar, baz", () => {
  const plan = unwrap(planRollout(DOCS_STEPS));
  const slots = objectSlotsFromNames(NAMESPACE, NAMES);
  const assignments = assignPlan(plan, slots);
  const versionsOf = (object: number) => assignments.versionIndex.map((column) => plan.labels[column[object]!]);

  it("validates every step into a deployment, in listed order", () => {
    expect(plan.labels).toEqual(["A", "B"]);
    expect(plan.steps.map((step) => step.spec)).toEqual(["A@100", "B@20,A@80", "B@50,A@50", "B@100"]);
    expect(plan.steps.map((step) => step.entries)).toEqual([
      [{ label: "A", percentage: 100 }],
      [
        { label: "B", percentage: 20 },
        { label: "A", percentage: 80 },
      ],
      [
        { label: "B", percentage: 50 },
        { label: "A", percentage: 50 },
      ],
      [{ label: "B", percentage: 100 }],
    ]);
    // The first step is a full deploy; the others are versions deploys of the same two versions.
    expect(plan.steps.map((step) => step.deployment.source)).toEqual(["deploy", "versions-deploy", "versions-deploy", "versions-deploy"]);
    const idOf = new Map(plan.steps.flatMap((step) => step.deployment.entries.map((entry, index) => [step.entries[index]!.label, entry.versionId])));
    expect(new Set(idOf.values()).size).toBe(2);
    for (const step of plan.steps) {
      expect(step.deployment.entries).toEqual(step.entries.map((entry) => ({ versionId: idOf.get(entry.label), percentage: entry.percentage })));
      expect(step.deployment.codeUpdate).toEqual({ mode: "deferred", maxDelayMs: 300_000 }); // the platform's default
    }
  });

  it("assigns each object by its slot against the step's cumulative percentages", () => {
    expect(assignments.objectCount).toBe(3);
    expect(assignments.versionIndex).toHaveLength(4);
    const bBound = [0, 20_000, 50_000, 100_000];
    NAMES.forEach((_, object) => {
      expect(versionsOf(object)).toEqual(bBound.map((bound) => (slots[object]! < bound ? "B" : "A")));
    });
  });

  it("starts all on A, ends all on B, and resets each object at most once", () => {
    NAMES.forEach((_, object) => {
      const versions = versionsOf(object);
      expect(versions[0]).toBe("A");
      expect(versions[3]).toBe("B");
      const changes = versions.filter((version, step) => step > 0 && version !== versions[step - 1]).length;
      expect(changes).toBe(1);
    });
  });

  it("pins which objects move: foo at B@50, bar and baz at B@100 (our hash; the docs call theirs an example)", () => {
    expect(NAMES.map((_, object) => versionsOf(object).join(""))).toEqual(["AABB", "AAAB", "AAAB"]);
  });
});

describe("planRollout: refusals name the step", () => {
  it("refuses an empty plan", () => {
    refusal(planRollout([]), "no-versions");
  });

  it("refuses a first step that is not one version at 100%", () => {
    for (const spec of ["B@20,A@80", "A@50", "A@100,B@0"]) {
      const error = refusal(planRollout([{ spec }]), "not-deployed-yet");
      expect(error.message).toMatch(/^Step 1: /);
      expect(error.details).toEqual({ step: 1 });
    }
    // "A" alone means A@100.
    expect(unwrap(planRollout([{ spec: "A" }])).steps[0]!.spec).toBe("A@100");
  });

  it("carries the step number and the rule's details", () => {
    const sum = refusal(planRollout([{ spec: "A@100" }, { spec: "B@20,A@80" }, { spec: "B@20,A@79" }]), "percentage-sum");
    expect(sum.message).toMatch(/^Step 3: The percentages add up to 99%/);
    expect(sum.details).toEqual({ sum: 99, step: 3 });
    const three = refusal(planRollout([{ spec: "A@100" }, { spec: "A@30,B@30,C@40" }]), "too-many-versions");
    expect(three.details).toEqual({ count: 3, step: 2 });
    const parse = refusal(planRollout([{ spec: "A@100" }, { spec: "B@x" }]), "invalid-version-spec");
    expect(parse.details).toEqual({ token: "B@x", step: 2 });
    const percentage = refusal(planRollout([{ spec: "A@100" }, { spec: "B@100.5,A@0" }]), "invalid-percentage");
    expect(percentage.details).toMatchObject({ ref: "B", step: 2 });
    const duplicate = refusal(planRollout([{ spec: "A@100" }, { spec: ["A@50", "A@50"] }]), "duplicate-version");
    expect(duplicate.message).toMatch(/^Step 2: /);
  });

  it("refuses a label that was not declared, in the step that uses it", () => {
    const error = refusal(planRollout([{ spec: "A@100" }, { spec: "B@10,A@90" }, { spec: "C@50,A@50" }], ["A", "B"]), "unknown-version");
    expect(error.message).toBe('Step 3: "C" is not one of the declared versions (A, B).');
    expect(error.details).toEqual({ ref: "C", step: 3 });
  });

  it("keeps declared labels that no step uses, and the deployment rules' limits", () => {
    const plan = unwrap(planRollout([{ spec: "A@100" }, { spec: "C@10,A@90" }], ["A", "B", "C"]));
    expect(plan.labels).toEqual(["A", "B", "C"]);
    // With a window of 1 only the newest label (C) can be deployed after the first step.
    const error = refusal(planRollout([{ spec: "A@100" }, { spec: "B@10,A@90" }], ["A", "B", "C"], withLimits({ deployableVersionWindow: 1 })), "version-outside-window");
    expect(error.details).toMatchObject({ number: 2, step: 2 });
  });

  it("passes each step's code-update strategy to its deployment", () => {
    const deferred = { mode: "deferred", maxDelayMs: 60_000 } as const;
    const immediate = { mode: "immediate" } as const;
    const plan = unwrap(planRollout([{ spec: "A@100", codeUpdate: deferred }, { spec: "B@50,A@50", codeUpdate: immediate }, { spec: "B@100" }]));
    expect(plan.steps.map((step) => step.deployment.codeUpdate)).toEqual([deferred, immediate, { mode: "deferred", maxDelayMs: 300_000 }]);
  });
});
