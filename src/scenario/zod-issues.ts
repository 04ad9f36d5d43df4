/**
 * Turns zod's issues into scenario issues: plain-spoken messages, stable codes, and positions in
 * the YAML text. Unions are resolved to the branch the writer meant (a step's action key; for
 * other unions, the one branch whose type matched) so a typo reads as one precise problem.
 */
import type { z } from "zod";
import { formatPath, type ScenarioIssue, type ScenarioIssueCode } from "./issues.js";
import { DURING_BRANCHES, STEP_BRANCHES } from "./schema/steps.js";
import { actionsOf, allowedKeysAt, closest } from "./schema-walk.js";
import { locate, type YamlSource } from "./yaml-source.js";

type ZodIssue = z.core.$ZodIssue;

/** What the mapper needs besides the issues. */
export interface IssueContext {
  readonly file: string;
  readonly source: YamlSource;
  readonly data: unknown;
  readonly schema: z.ZodType;
}

/** Messages for zod's own issue kinds, passed to `safeParse` (schema-level messages win). */
export function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "cannot be empty" : `needs at least ${issue.minimum} characters`;
      if (issue.origin === "array") return `needs at least ${issue.minimum} item(s)`;
      return `must be ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `may hold at most ${issue.maximum} characters`;
      if (issue.origin === "array") return `may hold at most ${issue.maximum} item(s)`;
      return `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}`;
    case "invalid_value":
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_format":
      return `does not match ${"pattern" in issue ? String(issue.pattern) : issue.format}`;
    default:
      return undefined;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  null: "nothing (null)",
};

function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `${value}`;
  return `the text ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): { exists: boolean; value: unknown } {
  let value = data;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment as string)) return { exists: false, value: undefined };
    value = (value as Record<PropertyKey, unknown>)[segment as string];
  }
  return { exists: true, value };
}

/**
 * Validates the whole file and maps every problem to positioned scenario issues. Steps are
 * validated one by one against the branch their action key names (zod's union would report a
 * near miss as "no branch matched", or as the wrong branch's problems).
 */
export function schemaIssues(data: unknown, context: IssueContext): ScenarioIssue[] {
  const parsed = context.schema.safeParse(data, { error: friendlyMessage });
  if (parsed.success) return [];
  const issues = parsed.error.issues
    .filter((issue) => !(issue.path[0] === "steps" && typeof issue.path[1] === "number"))
    .flatMap((issue) => mapIssue(issue, [], context));
  const steps = (data as { steps?: unknown }).steps;
  if (Array.isArray(steps)) steps.forEach((step, index) => issues.push(...stepIssues(step, ["steps", index], STEP_BRANCHES, context)));
  return issues;
}

/** The problems of one step (or one operation during traffic), against the branch it names. */
function stepIssues(value: unknown, path: readonly PropertyKey[], branches: Readonly<Record<string, z.ZodType>>, context: IssueContext): ScenarioIssue[] {
  const kind = path[path.length - 1] === "during" ? "an operation during traffic" : "a step";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [make(context, path, `${kind} is a mapping with one action, for example deploy: B@20,A@80; got ${describeValue(value)}`, "invalid-type")];
  }
  const actions = Object.keys(branches);
  const present = actionsOf(value as Record<string, unknown>, actions);
  if (present.length !== 1) return actionProblems(value as Record<string, unknown>, path, actions, present, kind, context);
  const parsed = branches[present[0]!]!.safeParse(value, { error: friendlyMessage });
  if (parsed.success) return [];
  const nested = present[0] === "traffic" && typeof (value as { during?: unknown }).during === "object";
  const issues = parsed.error.issues
    .filter((issue) => !(nested && issue.path[0] === "during"))
    .flatMap((issue) => mapIssue(issue, path, context));
  if (nested) issues.push(...stepIssues((value as { during: unknown }).during, [...path, "during"], DURING_BRANCHES, context));
  return issues;
}

function make(context: IssueContext, path: readonly PropertyKey[], message: string, code: ScenarioIssueCode, at: "value" | "key" = "value"): ScenarioIssue {
  const { line, column } = locate(context.source, path, at);
  return { file: context.file, line, column, path: formatPath(path), message, code };
}

function mapIssue(issue: ZodIssue, prefix: readonly PropertyKey[], context: IssueContext): ScenarioIssue[] {
  const path = [...prefix, ...(issue.path as PropertyKey[])];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey(context, path, key));
    case "invalid_union":
      return mapUnion(issue, path, context);
    case "invalid_key":
      return [make(context, path, `the key ${JSON.stringify(String(path[path.length - 1]))} is not allowed: ${issue.issues[0]?.message ?? "it does not match"}`, "invalid-value", "key")];
    case "invalid_type": {
      const here = valueAt(context.data, path);
      if (!here.exists) {
        const key = String(path[path.length - 1]);
        return [make(context, path.slice(0, -1), `missing key "${key}"`, "missing-key")];
      }
      const custom = !issue.message.startsWith("Invalid input");
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return [make(context, path, custom ? issue.message : `expected ${expected}, got ${describeValue(here.value)}`, "invalid-type")];
    }
    default:
      return [make(context, path, issue.message, "invalid-value")];
  }
}

/** A key that looks like the tail of a deploy spec: `{ deployment: B@20,A@80 }` split at the comma. */
const SPEC_TAIL = /^[A-Za-z][\w.-]*@\d*\.?\d*%?$/;

function unknownKey(context: IssueContext, path: readonly PropertyKey[], key: string): ScenarioIssue {
  if (SPEC_TAIL.test(key)) {
    const message = `unknown key "${key}": inside { } a comma ends the value, so quote the whole deploy spec there, e.g. "B@20,A@80"`;
    return make(context, [...path, key], message, "unknown-key", "key");
  }
  const allowed = allowedKeysAt(context.schema, context.data, path);
  const hint = closest(key, allowed);
  const message = hint !== undefined ? `unknown key "${key}"; did you mean "${hint}"?` : allowed.length > 0 ? `unknown key "${key}"; expected one of ${allowed.join(", ")}` : `unknown key "${key}"`;
  return make(context, [...path, key], message, "unknown-key", "key");
}

/** True when a branch failed only because the value had another type altogether. */
function typeMismatchOnly(branch: readonly ZodIssue[]): boolean {
  return branch.every((issue) => issue.path.length === 0 && issue.code === "invalid_type");
}

/** A union other than a step: follow the one branch whose type matched, else say what was expected. */
function mapUnion(issue: z.core.$ZodIssueInvalidUnion, path: readonly PropertyKey[], context: IssueContext): ScenarioIssue[] {
  const matching = issue.errors.filter((branch) => !typeMismatchOnly(branch));
  const deeper = matching.length === 1 && matching[0]!.some((inner) => inner.path.length > 0 || inner.code === "invalid_union" || inner.code === "unrecognized_keys");
  if (deeper) return matching[0]!.flatMap((inner) => mapIssue(inner, path, context));
  const code: ScenarioIssueCode = matching.length === 0 ? "invalid-type" : "invalid-value";
  return [make(context, path, issue.message, code)];
}

/** A step with no action key, or several. */
function actionProblems(
  value: Record<string, unknown>,
  path: readonly PropertyKey[],
  actions: readonly string[],
  present: readonly string[],
  kind: string,
  context: IssueContext,
): ScenarioIssue[] {
  if (present.length > 1) {
    return [make(context, path, `${kind} does one thing, but this one has ${present.join(" and ")}; split it into separate steps`, "step-action")];
  }
  const unknown = Object.keys(value).filter((key) => !["name", "expect", "afterRequests"].includes(key));
  const guesses = unknown.map((key) => [key, closest(key, actions)] as const).filter(([, guess]) => guess !== undefined);
  if (guesses.length > 0) {
    return guesses.map(([key, guess]) => make(context, [...path, key], `unknown key "${key}"; did you mean "${guess}"?`, "unknown-key", "key"));
  }
  return [make(context, path, `${kind} needs exactly one of ${actions.join(", ")}`, "step-action")];
}
