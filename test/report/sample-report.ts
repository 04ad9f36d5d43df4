import { REPLAY_REPORT_SCHEMA, type ReplayReport } from "../../src/report/replay-report.js";

const cell = (version: string, reset = false) => ({ version, reset });

/** A hand-made report: the docs' progression, one refused step and one failed expectation. */
export const REPORT: ReplayReport = {
  schema: REPLAY_REPORT_SCHEMA,
  files: ["scenarios/01-docs.yaml"],
  scenarios: [
    {
      name: "docs progression <A & B>",
      file: "scenarios/01-docs.yaml",
      description: "A → B over foo, bar, baz.",
      seed: "docs",
      objects: ["foo", "bar", "baz"],
      versions: [
        { label: "A", id: "11111111-1111-4111-8111-111111111111", tag: "A" },
        { label: "B", id: "22222222-2222-4222-8222-222222222222", tag: "B" },
      ],
      steps: [
        { step: 1, kind: "deploy", summary: "deploy A@100" },
        { step: 2, kind: "deploy", summary: "deploy B@20,A@80" },
        { step: 3, kind: "deploy", summary: "deploy A@50,B@40,C@10", refused: { code: "too-many-versions", message: "You can deploy at most 2 versions at a time (got 3); drop one." } },
      ],
      deployments: [
        {
          step: 1,
          source: "deploy",
          entries: [{ label: "A", percentage: 100 }],
          objects: { foo: cell("A"), bar: cell("A"), baz: cell("A") },
          shares: [{ label: "A", requestedPercentage: 100, objects: 3, realisedPercentage: 100 }],
        },
        {
          step: 2,
          source: "versions-deploy",
          entries: [
            { label: "B", percentage: 20 },
            { label: "A", percentage: 80 },
          ],
          objects: { foo: cell("B", true), bar: cell("A"), baz: { version: "A", reset: false, deferred: true } },
          shares: [
            { label: "B", requestedPercentage: 20, objects: 1, realisedPercentage: 33.333 },
            { label: "A", requestedPercentage: 80, objects: 2, realisedPercentage: 66.667 },
          ],
        },
      ],
      expectations: [
        { step: 2, name: "objects.foo.version", passed: true, expected: "B", actual: "B", message: "" },
        { step: 2, name: "objects.bar.version", passed: false, expected: "B", actual: "A", message: "bar runs A, not B." },
        { step: 3, name: "refused", passed: true, expected: "too-many-versions", actual: "too-many-versions", message: "" },
      ],
      totals: { resets: 1, requests: 12, errors: 0 },
      simulatorEvents: [],
    },
  ],
};
