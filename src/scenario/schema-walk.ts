/**
 * Walks the zod schema alongside the data, to say which keys a mapping accepts at a path (for
 * "did you mean" hints) and which branch of a step union a mapping means (its action key).
 */
import type { z } from "zod";
import { DURING_ACTIONS, STEP_ACTIONS } from "./schema/steps.js";

/** The parts of a zod schema definition the walk reads. */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly options?: readonly z.ZodType[];
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The action keys a step-like mapping at `path` may hold, or undefined if `path` is not a step. */
export function stepActionsAt(path: readonly PropertyKey[]): readonly string[] | undefined {
  if (path.length === 2 && path[0] === "steps" && typeof path[1] === "number") return STEP_ACTIONS;
  if (path.length === 3 && path[0] === "steps" && path[2] === "during") return DURING_ACTIONS;
  return undefined;
}

/**
 * Which action keys a step mapping holds. `expect` counts as the action only when no other action
 * key is present (elsewhere it is the step's expectations).
 */
export function actionsOf(value: Record<string, unknown>, actions: readonly string[]): string[] {
  const present = actions.filter((action) => action !== "expect" && action in value);
  if (present.length === 0 && actions.includes("expect") && "expect" in value) return ["expect"];
  return present;
}

/** The branch of a union `schema` meant by `value`: by action key for steps, else by shape. */
function branchFor(schema: z.ZodType, value: unknown, path: readonly PropertyKey[], next?: PropertyKey): z.ZodType | undefined {
  const options = defOf(schema).options ?? [];
  const actions = stepActionsAt(path);
  if (actions !== undefined && isPlainObject(value)) {
    const present = actionsOf(value, actions);
    return present.length === 1 ? options[actions.indexOf(present[0]!)] : undefined;
  }
  const objects = options.map(unwrap).filter((option) => defOf(option).type === "object" || defOf(option).type === "record");
  if (next !== undefined) return objects.find((option) => defOf(option).type === "record" || String(next) in (defOf(option).shape ?? {}));
  return objects[0];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    const def = defOf(current);
    if (def.innerType === undefined || !["optional", "nullable", "default", "readonly", "nonoptional"].includes(def.type)) break;
    current = def.innerType;
  }
  return current;
}

/** The zod schema that describes the value at `path`, if the walk can tell. */
export function schemaAt(root: z.ZodType, data: unknown, path: readonly PropertyKey[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = unwrap(root);
  let value = data;
  for (let index = 0; index <= path.length && schema !== undefined; index++) {
    const here = path.slice(0, index);
    if (defOf(schema).type === "union") schema = branchFor(schema, value, here, path[index]);
    if (schema === undefined || index === path.length) break;
    schema = unwrap(schema);
    const segment = path[index]!;
    const def = defOf(schema);
    if (def.type === "object") schema = def.shape?.[String(segment)];
    else if (def.type === "record") schema = def.valueType;
    else if (def.type === "array") schema = def.element;
    else schema = undefined;
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[segment as never] : undefined;
    if (schema !== undefined) schema = unwrap(schema);
  }
  return schema;
}

/** The keys the mapping at `path` accepts, if it is a fixed-shape object. */
export function allowedKeysAt(root: z.ZodType, data: unknown, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(root, data, path);
  if (schema === undefined) return [];
  const def = defOf(unwrap(schema));
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

/** The closest of `candidates` to `word` (a typo or a different case), if one is close enough. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
