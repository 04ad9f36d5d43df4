/**
 * The JSON Schema of scenario files, generated from the zod schema so the two never disagree.
 * Editors pick it up from a first-line comment:
 *
 *   # yaml-language-server: $schema=../schema/scenario.schema.json
 *
 * The committed copy lives at schema/scenario.schema.json; `npm run schema` rewrites it, and a
 * test fails when it is stale.
 */
import { z } from "zod";
import { ScenarioFileSchema } from "./schema.js";

/** Where the committed schema lives, relative to the repository root. */
export const JSON_SCHEMA_PATH = "schema/scenario.schema.json";

/**
 * Builds the JSON Schema (draft-07, which YAML editors support best) from the input side of the
 * zod schema: what a person may write, with every description attached.
 */
export function buildScenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioFileSchema, { target: "draft-7", io: "input", unrepresentable: "throw" });
}

/** The schema as committed: pretty JSON with a trailing newline. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(buildScenarioJsonSchema(), null, 2)}\n`;
}
