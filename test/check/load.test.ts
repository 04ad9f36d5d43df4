// Check files load like scenarios: the same version keys, positions on every problem.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCheck } from "../../src/check/load.js";
import { parseScenario } from "../../src/scenario/load.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const FILE = join(REPO_ROOT, "examples/check/inline.yaml");
const WORKER = "worker: ../../wrangler.toml\n";

describe("parseCheck", () => {
  it("turns the workload into request templates, with the scenario's versions and code-update default", () => {
    const loaded = parseCheck(`name: x\n${WORKER}versions: { A: {}, B: { vars: { GREETING: Hi } } }\ncheck:\n  workload:\n    - request: /objects/{name}\n      object: foo\n      method: POST\n      body: { by: "{name}" }\n      count: 3\n`, FILE);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    expect(loaded.check.versions.map((version) => version.label)).toEqual(["A", "B"]);
    expect(loaded.check.plan).toBeUndefined();
    expect(loaded.check.deferred).toBe(true);
    expect(loaded.check.workerConfig).toBe(join(REPO_ROOT, "wrangler.toml"));
    expect(loaded.check.workload).toEqual([
      { index: 0, template: { method: "POST", path: "/objects/{name}", headers: {}, body: { json: { by: "{name}" } } }, object: "foo", count: 3, at: { line: 6, column: 7, path: "check.workload[0]" } },
    ]);
  });

  it("needs two versions, and says where", () => {
    const loaded = parseCheck(`name: x\n${WORKER}versions: { A: {} }\ncheck:\n  workload:\n    - request: /\n`, FILE);
    expect(loaded.ok ? [] : loaded.issues.map((issue) => `${issue.line}:${issue.column} ${issue.path} ${issue.code}`)).toEqual(["3:11 versions invalid-value"]);
  });

  it("takes versions and a plan from the command line, and names --plan in its problems", () => {
    const versions = ["old", "new"].map((label) => ({ label, tag: label, vars: {}, secrets: {}, migrations: [], at: { line: 1, column: 1, path: "" } }));
    const good = parseCheck(`name: x\n${WORKER}check:\n  workload:\n    - request: /\n`, FILE, { versions, plan: "new@100" });
    expect(good.ok && good.check.plan).toEqual([[{ label: "new", percentage: 100 }]]);
    const bad = parseCheck(`name: x\n${WORKER}check:\n  workload:\n    - request: /\n`, FILE, { versions, plan: "B@100" });
    expect(bad.ok ? [] : bad.issues.map((issue) => `${issue.file} ${issue.message}`)).toEqual(['--plan "B" in "B@100" is not a version of the check; use one of old, new.']);
  });

  it("reads the check block of a scenario, whose steps replay ignores the block of", () => {
    const text = `name: x\n${WORKER}versions: { A: {}, B: {} }\nsteps:\n  - deploy: A\ncheck:\n  plan: B@100\n  workload:\n    - request: /\n`;
    const check = parseCheck(text, FILE);
    expect(check.ok && check.check.plan).toEqual([[{ label: "B", percentage: 100 }]]);
    const scenario = parseScenario(text, FILE);
    expect(scenario.ok && scenario.scenario.steps.length).toBe(1);
  });
});
