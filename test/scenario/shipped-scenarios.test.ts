import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/scenario/issues.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const scenarioDir = join(REPO_ROOT, "scenarios");
const shipped = readdirSync(scenarioDir).filter((name) => /\.ya?ml$/.test(name)).sort();

describe("the scenarios that ship", () => {
  it("are the eleven the project promises, in teaching order", () => {
    expect(shipped).toEqual([
      "01-docs-progression.yaml",
      "02-reordering-versions.yaml",
      "03-version-affinity.yaml",
      "04-smoke-test-with-overrides.yaml",
      "05-rollback-mid-rollout.yaml",
      "06-durable-object-migration.yaml",
      "07-secrets-during-a-split.yaml",
      "08-deferred-code-updates.yaml",
      "09-deployable-version-window.yaml",
      "10-requests-in-flight-during-a-reset.yaml",
      "11-hibernation-and-deferred-updates.yaml",
    ]);
  });

  it.each(shipped)("%s loads without a problem", (name) => {
    const loaded = loadScenarioFile(join(scenarioDir, name));
    expect(loaded.ok ? [] : loaded.issues.map((issue) => formatIssue(issue))).toEqual([]);
  });

  it.each(shipped)("%s points editors at the schema and says what it teaches", (name) => {
    const lines = readFileSync(join(scenarioDir, name), "utf8").split("\n");
    expect(lines[0]).toBe("# yaml-language-server: $schema=../schema/scenario.schema.json");
    expect(lines.slice(1, 4).join("\n")).toMatch(/^#\n# Teaches: /);
  });
});
