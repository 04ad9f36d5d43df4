/**
 * Staged versions: the dry run foresees every version a scenario makes, the simulator hosts them
 * all from the start, and the control plane refuses loudly to record a version that differs.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/model/limits.js";
import { readWorkerSource } from "../../src/runtime/config.js";
import { DEFAULT_START_MS, Simulator, versionInput } from "../../src/runtime/simulator.js";
import { dryRunScenario } from "../../src/scenario/dry-run.js";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const config = join(REPO_ROOT, "wrangler.toml");

function dryRunOf(file: string) {
  const loaded = loadScenarioFile(join(REPO_ROOT, "scenarios", file));
  if (!loaded.ok) throw new Error(`${file} does not load`);
  const source = readWorkerSource(config);
  const inputOf = (label: string) => {
    const version = loaded.scenario.versions.find((declared) => declared.label === label)!;
    const migrationTag = version.migrations.at(-1)?.tag;
    return versionInput(source, { tag: version.tag, vars: version.vars, secrets: version.secrets, ...(version.message !== undefined && { message: version.message }), ...(migrationTag !== undefined && { migrationTag }) });
  };
  return dryRunScenario(loaded.scenario, { seed: loaded.scenario.seed, startMs: DEFAULT_START_MS, workerName: source.name, limits: loaded.scenario.limits, inputOf });
}

describe("the dry run", () => {
  it("foresees the versions and refusals of the migration scenario", () => {
    const run = dryRunOf("06-durable-object-migration.yaml");
    expect(run.versions.map((made) => [made.label, made.version.number, made.version.migrationTag, made.version.triggeredBy])).toEqual([
      ["A", 1, "v1", "deploy"],
      ["B", 2, "v2", "deploy"],
      ["C", 3, "v2", "upload"],
    ]);
    expect(run.refusals).toEqual({ 1: "10211", 3: "version-before-migration", 4: "version-before-migration", 5: "version-before-migration" });
  });

  it("gives secret versions the code of the newest version, and ids that follow from the seed", () => {
    const run = dryRunOf("07-secrets-during-a-split.yaml");
    expect(run.versions.map((made) => [made.label, made.codeLabel, made.version.secrets.API_TOKEN])).toEqual([
      ["A", "A", "token-one"],
      ["B", "B", "token-one"],
      ["B2", "B", "token-two"],
      ["B3", "B", "token-three"],
    ]);
    expect(dryRunOf("07-secrets-during-a-split.yaml").versions.map((made) => made.version.id)).toEqual(run.versions.map((made) => made.version.id));
    expect(new Set(run.versions.map((made) => made.version.id)).size).toBe(4);
  });

  it("keeps every upload of the 101-version scenario inside one window of refusals", () => {
    const run = dryRunOf("09-deployable-version-window.yaml");
    expect(run.versions).toHaveLength(101);
    expect(run.refusals).toEqual({ 4: "version-outside-window", 5: "version-outside-window" });
  });
});

describe("staged versions on the host", () => {
  it("are recorded at their step without a restart, and one that differs from the control plane's fails loudly", async () => {
    const run = dryRunOf("01-docs-progression.yaml");
    const [a, b] = run.versions.map((made) => made.version);
    const sim = await Simulator.start({ config, seed: "1", limits: DEFAULT_LIMITS, staged: run.versions.map((made) => ({ version: made.version })) });
    try {
      expect((await sim.versions()).length).toBe(0);
      const source = readWorkerSource(config);
      const deployed = await sim.fullDeploy({ tag: "A", vars: {}, secrets: {}, message: "The version running today" }, { message: "First deployment (a plain deploy, 100%)", codeUpdate: { mode: "immediate" }, staged: a! });
      expect(deployed.ok && deployed.value.version).toEqual(a);
      expect(await (await sim.fetch("/")).text()).toBe(`${source.vars.GREETING} from version A`);
      // B as staged, but uploaded with other vars: the control plane refuses to record it.
      await expect(sim.upload({ tag: "B", message: "The new version", vars: { GREETING: "Other" } }, { staged: b! })).rejects.toThrow(/internal error: version 2 differs from the staged version 2 .* in vars; the scenario's dry run diverged/);
      expect((await sim.versions()).length).toBe(1);
      expect(sim.events).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it("let an operation the dry run refused be refused on the host when no later step makes a version", async () => {
    // Found by dosim fuzz: a refused `secret put` (10215) was the last step to make a version, so
    // no staged version was left to hand it and the runner failed with an internal error.
    const text = [
      "name: refused-last-secret",
      "versions: { A: {}, B: {} }",
      "steps:",
      "  - deploy: A",
      "  - upload: B",
      "  - secret: TOKEN",
      "    value: x",
      "    expect: { refused: 10215, deployment: A@100 }",
    ].join("\n");
    const loaded = parseScenario(text, join(REPO_ROOT, "scenarios", "refused-last-secret.yaml"));
    if (!loaded.ok) throw new Error("the scenario does not load");
    const { report } = await runScenario(loaded.scenario);
    expect(report.expectations.filter((expectation) => !expectation.passed)).toEqual([]);
    expect(report.steps.at(-1)?.refused?.code).toBe("10215");
  });
});
