/**
 * The workload's object references (`lobby`, `Room:lobby`, `ROOMS:lobby`) checked against the
 * Durable Object bindings of every version's config, each problem at the place it was written.
 */
import { InputError } from "../model/input-error.js";
import { readWorkerSource } from "../runtime/config.js";
import { formatIssue } from "../scenario/issues.js";
import { resolveObjectRef, UNKNOWN_OBJECT_CLASS, type ObjectBinding } from "../scenario/object-refs.js";
import type { CheckSpec } from "./types.js";

/** Throws an {@link InputError} naming every workload object reference the Worker has no class for. */
export function checkObjectRefs(check: CheckSpec, displayPath: string): void {
  const bindings: ObjectBinding[] = [];
  const configs = new Set([check.workerConfig, ...check.versions.flatMap((version) => (version.config === undefined ? [] : [version.config]))]);
  for (const config of configs) {
    for (const binding of readWorkerSource(config, check.env === undefined ? {} : { env: check.env }).durableObjects) {
      if (!bindings.some((known) => known.binding === binding.binding && known.className === binding.className)) bindings.push(binding);
    }
  }
  const problems: string[] = [];
  for (const item of check.workload) {
    if (item.object === undefined) continue;
    const resolved = resolveObjectRef(item.object, bindings);
    if ("error" in resolved) problems.push(formatIssue({ file: displayPath, line: item.at.line, column: item.at.column, path: `${item.at.path}.object`, message: resolved.error, code: UNKNOWN_OBJECT_CLASS }));
  }
  if (problems.length > 0) throw new InputError(UNKNOWN_OBJECT_CLASS, problems.join("; "));
}
