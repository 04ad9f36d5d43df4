/**
 * Objects as a scenario names them: `lobby` is the object named "lobby" of the Worker's first
 * Durable Object class; `ChatRoom:lobby` or `ROOMS:lobby` names it in a class or in the class a
 * binding holds. Everything before the first `:` names the class or binding, so a name that has
 * a `:` of its own is written with its class (`ChatRoom:user:1`).
 */
import type { ScenarioIssue } from "./issues.js";
import type { Scenario } from "./types.js";
import { VERSION_BINDINGS } from "../runtime/workers/protocol.js";

/** A Durable Object binding of the Worker: its name and the class it holds. */
export interface ObjectBinding {
  readonly binding: string;
  readonly className: string;
}

/** An object resolved: its class and its name within it (what `idFromName` takes). */
export interface ResolvedObject {
  readonly className: string;
  readonly name: string;
}

/** The code of a reference to a class or binding the Worker does not have. */
export const UNKNOWN_OBJECT_CLASS = "unknown-object-class" as const;

/** The name part of a reference: what `{name}` in a request stands for. */
export function objectNameOf(ref: string): string {
  const colon = ref.indexOf(":");
  return colon === -1 ? ref : ref.slice(colon + 1);
}

/** A reference resolved against the Worker's bindings (the first is the default class), or why it cannot be. */
export function resolveObjectRef(ref: string, bindings: readonly ObjectBinding[]): ResolvedObject | { readonly error: string } {
  const colon = ref.indexOf(":");
  if (colon === -1) {
    const first = bindings[0];
    return first === undefined ? { error: `"${ref}" names an object, but the Worker binds no Durable Object class of its own` } : { className: first.className, name: ref };
  }
  const qualifier = ref.slice(0, colon);
  const name = ref.slice(colon + 1);
  const match = bindings.find((binding) => binding.className === qualifier) ?? bindings.find((binding) => binding.binding === qualifier);
  if (match === undefined) {
    // A class the migrations declare and no binding names is listed as such, not by dosim's own binding.
    const known = bindings.map((binding) => `${binding.className} (${binding.binding.startsWith(VERSION_BINDINGS.unboundPrefix) ? "no binding" : binding.binding})`).join(", ");
    const has = known === "" ? "it binds no Durable Object class of its own" : `its classes (bindings): ${known}`;
    return { error: `"${qualifier}" in "${ref}" is not a Durable Object class or binding of the Worker (${has}); write Class:name, or a name without ":"` };
  }
  if (name === "") return { error: `"${ref}" names no object after "${qualifier}:"; write ${qualifier}:<name>` };
  return { className: match.className, name };
}

/** The problems of the scenario's object references, each at the place it was written. */
export function objectRefIssues(scenario: Scenario, bindings: readonly ObjectBinding[], displayPath: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const { ref, at } of scenario.objectRefs) {
    const resolved = resolveObjectRef(ref, bindings);
    if ("error" in resolved) issues.push({ file: displayPath, line: at.line, column: at.column, path: at.path, message: resolved.error, code: UNKNOWN_OBJECT_CLASS });
  }
  return issues;
}
