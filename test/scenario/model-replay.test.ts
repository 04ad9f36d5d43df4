import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { load, HEAD } from "./load-helpers.js";
import { replayOnModel } from "./model-replay.js";

const scenarioDir = join(REPO_ROOT, "scenarios");
const shipped = readdirSync(scenarioDir).filter((name) => name.endsWith(".yaml")).sort();

describe("shipped scenarios replayed on the model alone", () => {
  it.each(shipped)("%s: every refusal, deployment, assignment and reset count holds", (name) => {
    const loaded = loadScenarioFile(join(scenarioDir, name));
    if (!loaded.ok) expect.fail(`${name} does not load`);
    expect(replayOnModel(loaded.scenario)).toEqual([]);
  });

  it("catches a wrong expectation, so a passing replay means something", () => {
    const loaded = load([...HEAD, "  - deploy: A", "  - upload: B", "  - deploy: B@20,A@80", "    expect: { deployment: B@100, refused: 10211 }"]);
    if (!loaded.ok) expect.fail("the scenario should load");
    expect(replayOnModel(loaded.scenario)).toEqual([
      "steps[2] (deploy, line 8): refused nothing, expected 10211",
      "steps[2] (deploy, line 8): deployment B@20,A@80, expected B@100",
    ]);
  });
});
