/**
 * The httpwg Structured Field test vectors, run through the overrides parser. Every dictionary
 * vector that must fail has to yield no override (and never throw); every one that parses has to
 * yield exactly its string members. Item vectors for strings are wrapped as `w=<item>` so string
 * syntax is covered too. The vectors are vendored under test/fixtures (see its SOURCE file).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { DeploymentEntry } from "../../src/model/types.js";
import { overrideVersionFor, parseOverrides } from "../../src/model/version-overrides.js";

const vectorDir = fileURLToPath(new URL("../fixtures/structured-field-tests/", import.meta.url));
const DICTIONARY_FILES = ["dictionary.json", "param-dict.json", "key-generated.json", "examples.json"];
const ITEM_FILES = ["string.json", "examples.json"];

interface Vector {
  readonly name: string;
  readonly raw: readonly string[];
  readonly header_type: "dictionary" | "list" | "item";
  readonly must_fail?: boolean;
  readonly can_fail?: boolean;
  /** For a dictionary: [key, [value, params]] pairs. For an item: [value, params]. */
  readonly expected?: unknown;
}

/** A vector's bare value as JSON: a string is an sf-string; tokens etc. are tagged objects. */
type JsonBareItem = string | number | boolean | { readonly __type: string; readonly value: string };

function load(file: string): Vector[] {
  return JSON.parse(readFileSync(path.join(vectorDir, file), "utf8")) as Vector[];
}

/** A deployment listing `candidates` (at 0%, which overrides accept) and a filler at 100%. */
function deploymentWith(candidates: readonly string[]): { entries: DeploymentEntry[] } {
  return {
    entries: [...candidates.map((versionId) => ({ versionId, percentage: 0 })), { versionId: "filler", percentage: 100 }],
  };
}

/** Strings a naive parser might take for a version id: what a non-string value looks like. */
function lookalikes(value: unknown): string[] {
  if (typeof value === "object" && value !== null && "value" in value) return [String(value.value)];
  if (Array.isArray(value)) return value.flatMap(([item]: [unknown]) => lookalikes(item));
  return [String(value)];
}

/** Checks the overrides parser against one parsed vector's expected dictionary. */
function expectAgreement(header: string, expected: ReadonlyArray<readonly [string, readonly [unknown, unknown]]>): void {
  const strings = new Map<string, string>();
  for (const [key, [value]] of expected) {
    if (typeof value === "string") {
      strings.set(key, value);
      expect(overrideVersionFor(header, key, deploymentWith([value])), `${key} should be overridden`).toBe(value);
    } else {
      const candidates = lookalikes(value);
      expect(overrideVersionFor(header, key, deploymentWith(candidates)), `${key} is not a string`).toBeUndefined();
    }
  }
  expect(Object.fromEntries(parseOverrides(header))).toEqual(Object.fromEntries(strings));
}

/** Checks that a header which must fail yields nothing, for every key and string it mentions. */
function expectNothing(header: string): void {
  expect(parseOverrides(header).size).toBe(0);
  const keys = header.match(/[a-z*][a-z0-9_.*-]*/g) ?? ["a"];
  const strings = [...header.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!.replace(/\\(.)/g, "$1"));
  const deployment = deploymentWith([...strings, ...keys]);
  for (const key of keys) expect(overrideVersionFor(header, key, deployment)).toBeUndefined();
}

describe("structured-field-tests conformance", () => {
  const dictionaryVectors = DICTIONARY_FILES.flatMap((file) =>
    load(file)
      .filter((vector) => vector.header_type === "dictionary")
      .map((vector) => ({ ...vector, name: `${file}: ${vector.name}` })),
  );
  const itemVectors = ITEM_FILES.flatMap((file) =>
    load(file)
      .filter((vector) => vector.header_type === "item")
      .map((vector) => ({ ...vector, name: `${file}: ${vector.name}` })),
  );

  it("has vectors to run", () => {
    expect(dictionaryVectors.length).toBeGreaterThan(400);
    expect(itemVectors.length).toBeGreaterThan(10);
  });

  it.each(dictionaryVectors.map((vector) => [vector.name, vector] as const))("%s", (_name, vector) => {
    // Several field lines combine into one value joined by ", " (RFC 9110 §5.3).
    const header = vector.raw.join(", ");
    if (vector.must_fail) return expectNothing(header);
    const expected = vector.expected as ReadonlyArray<readonly [string, readonly [JsonBareItem, unknown]]>;
    if (vector.can_fail && parseOverrides(header).size === 0) return;
    expectAgreement(header, expected);
  });

  it.each(itemVectors.map((vector) => [vector.name, vector] as const))("as a member: %s", (_name, vector) => {
    const header = `w=${vector.raw.join(", ")}`;
    if (vector.must_fail) return expectNothing(header);
    const expected = vector.expected as readonly [JsonBareItem, unknown];
    if (vector.can_fail && parseOverrides(header).size === 0) return;
    expectAgreement(header, [["w", expected]]);
  });
});
