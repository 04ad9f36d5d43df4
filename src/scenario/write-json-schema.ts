#!/usr/bin/env node
/**
 * Writes schema/scenario.schema.json from the zod schema (run it with `npm run schema`). With
 * `--check` it writes nothing and exits 1 when the committed file is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { JSON_SCHEMA_PATH, renderScenarioJsonSchema } from "./json-schema.js";

const target = fileURLToPath(new URL(`../../${JSON_SCHEMA_PATH}`, import.meta.url));
const fresh = renderScenarioJsonSchema();

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // A missing file is stale too.
  }
  if (current !== fresh) {
    process.stderr.write(`${JSON_SCHEMA_PATH} is stale; run npm run schema and commit it.\n`);
    process.exitCode = 1;
  }
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, fresh);
  process.stdout.write(`Wrote ${JSON_SCHEMA_PATH}\n`);
}
