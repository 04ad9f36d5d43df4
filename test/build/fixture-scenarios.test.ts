/**
 * Every fixture Worker under test/fixtures/workers (each a small Worker with its own wrangler
 * config, built by wrangler) replays its A → B rollout scenario with every expectation holding.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/scenario/issues.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";

const FIXTURES = "test/fixtures/workers";
const workers = readdirSync(FIXTURES).sort();

describe("the fixture Workers' rollouts", () => {
  it.each(workers)("%s replays A → B with every expectation holding", async (worker) => {
    const file = path.join(FIXTURES, worker, "rollout.yaml");
    const loaded = loadScenarioFile(file);
    expect(loaded.ok ? [] : loaded.issues.map((issue) => formatIssue(issue))).toEqual([]);
    if (!loaded.ok) return;
    const { report } = await runScenario(loaded.scenario, { file });
    const failed = report.expectations.filter((expectation) => !expectation.passed);
    expect(failed).toEqual([]);
    expect(report.expectations.length).toBeGreaterThan(0);
  });
});
