/**
 * Version attribution by the host, on a Worker that sets no version header (the two-classes
 * fixture): `version` is the version dosim's edge routed each request to and `served` the version
 * each object ran on, from dosim's own traces; objects of the second class are named by class or
 * binding and counted (a reset of one is not read as 0); wrong expectations fail with what
 * happened; a class the Worker lacks is an input error at the place it was written.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/model/input-error.js";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { Scenario } from "../../src/scenario/types.js";
import { yamlText } from "./load-helpers.js";

/** A scenario beside the fixture's wrangler.toml (never written: parsed from text). */
const FILE = path.resolve("test/fixtures/workers/two-classes/attribution.yaml");

function scenarioOf(lines: readonly string[]): Scenario {
  const loaded = parseScenario(yamlText(lines), FILE);
  if (!loaded.ok) expect.fail(loaded.issues.map((issue) => `${issue.line}:${issue.column} ${issue.path} ${issue.message}`).join("\n"));
  return loaded.scenario;
}

describe("version attribution on a Worker without a version header", () => {
  it("checks version and served against dosim's routing, for objects of both classes", async () => {
    const scenario = scenarioOf([
      "name: attribution",
      "codeUpdate: immediate",
      "objects: [kitchen, User:ada]",
      "versions: { A: {}, B: { main: src/b.ts } }",
      "steps:",
      "  - deploy: A",
      "  - request: /kitchen/ada", // 7
      "    expect: { version: A, served: { kitchen: A, USERS:ada: A } }",
      "  - upload: B",
      "  - deploy: B@50,A@50", // 10: ada moves to B and resets; kitchen stays on A
      "    expect: { objects: { kitchen: A, User:ada: B }, resets: { perObject: { kitchen: 0, User:ada: 1 } } }",
      "  - request: /{name}/ada", // 12
      "    object: kitchen",
      "    override: B",
      "    expect: { version: A, served: { kitchen: B, User:ada: B, User:bob: A } }",
    ]);
    const { report } = await runScenario(scenario, { file: "attribution.yaml" });
    const outcome = report.expectations.map(({ step, name, passed, actual }) => ({ step, name, passed, actual }));
    expect(outcome).toEqual([
      { step: 2, name: "version", passed: true, actual: "A" },
      { step: 2, name: "served.kitchen", passed: true, actual: "A" },
      { step: 2, name: "served.USERS:ada", passed: true, actual: "A" },
      { step: 4, name: "objects.kitchen", passed: true, actual: "A" },
      { step: 4, name: "objects.User:ada", passed: true, actual: "B" },
      { step: 4, name: "resets.perObject.kitchen", passed: true, actual: 0 },
      { step: 4, name: "resets.perObject.User:ada", passed: true, actual: 1 },
      // The override sent the request to B; kitchen ran A; ada ran B; bob got no call.
      { step: 5, name: "version", passed: false, actual: "B" },
      { step: 5, name: "served.kitchen", passed: false, actual: "A" },
      { step: 5, name: "served.User:ada", passed: true, actual: "B" },
      { step: 5, name: "served.User:bob", passed: false, actual: "not called" },
    ]);
  }, 120_000);

  it("refuses an object of a class or binding the Worker lacks, naming where it was written", async () => {
    const scenario = scenarioOf(["name: unknown-class", "objects: [kitchen, Chat:lobby]", "versions: { A: {} }", "steps:", "  - deploy: A", "    expect: { objects: { GUESTS:x: A } }"]);
    const error = await runScenario(scenario, { file: "attribution.yaml" }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("unknown-object-class");
    expect((error as InputError).message).toBe(
      [
        'attribution.yaml:2:20: objects[1]: "Chat" in "Chat:lobby" is not a Durable Object class or binding of the Worker (its classes (bindings): Room (ROOMS), User (USERS)); write Class:name, or a name without ":" [unknown-object-class]',
        'attribution.yaml:6:26: steps[0].expect.objects["GUESTS:x"]: "GUESTS" in "GUESTS:x" is not a Durable Object class or binding of the Worker (its classes (bindings): Room (ROOMS), User (USERS)); write Class:name, or a name without ":" [unknown-object-class]',
      ].join("; "),
    );
  });
});
