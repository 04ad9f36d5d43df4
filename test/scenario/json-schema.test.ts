import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMA_PATH, renderScenarioJsonSchema } from "../../src/scenario/json-schema.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const committed = readFileSync(join(REPO_ROOT, JSON_SCHEMA_PATH), "utf8");
const scenarioDir = join(REPO_ROOT, "scenarios");
const shipped = readdirSync(scenarioDir).filter((name) => name.endsWith(".yaml"));

describe("the committed JSON Schema", () => {
  it("is what the zod schema generates today (run `npm run schema` when this fails)", () => {
    expect(committed).toBe(renderScenarioJsonSchema());
  });

  it("accepts every shipped scenario and rejects unknown keys, as editors will", () => {
    const editorView = z.fromJSONSchema(JSON.parse(committed));
    for (const name of shipped) {
      const data = parse(readFileSync(join(scenarioDir, name), "utf8"));
      expect(editorView.safeParse(data).success, name).toBe(true);
    }
    const typo = { name: "x", versions: { A: {} }, steps: [{ deploy: "A", mesage: "typo" }] };
    expect(editorView.safeParse(typo).success).toBe(false);
    expect(editorView.safeParse({ name: "x", versions: { A: {} }, steps: [{ wait: "5" }] }).success).toBe(false);
  });

  it("documents the format for editors: descriptions, the step kinds, the error codes", () => {
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.title).toBe("dosim scenario");
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(["name", "description", "seed", "worker", "objects", "versions", "codeUpdate", "limits", "guarantees", "steps", "check"]);
    expect(schema.properties.steps.items.anyOf).toHaveLength(10);
    expect(JSON.stringify(schema.definitions.RefusalCode)).toContain('"10211"');
  });
});
