/**
 * What the loader's checks share: where to report a problem, the effective limits, and the labels
 * known so far. Checks run in file order, so "declared before use" falls out of the walk.
 */
import { resolveCodeUpdate, type CodeUpdateRequest } from "../model/code-update.js";
import { parseCodeUpdateMode } from "../model/code-update-strategy.js";
import type { Limits } from "../model/limits.js";
import type { CodeUpdate } from "../model/types.js";
import { formatPath, type ScenarioIssue, type ScenarioIssueCode } from "./issues.js";
import type { CodeUpdate as CodeUpdateFile } from "./schema/common.js";
import { parseDurationMs } from "./duration.js";
import type { CountRange, SourceLocation } from "./types.js";
import { locate, type YamlSource } from "./yaml-source.js";
import type { z } from "zod";

/** A path into the file, as keys and indices. */
export type Path = readonly PropertyKey[];

/** Shared state of one load. */
export class CheckContext {
  readonly issues: ScenarioIssue[] = [];
  /** Every label a step may name so far: declared versions, then labels made by `secret` steps. */
  readonly labels: string[] = [];
  /** Labels declared under `versions` (only these can be uploaded). */
  readonly declared = new Set<string>();
  /** Every object reference written, and where (checked against the Worker's classes once its config is read). */
  readonly objectRefs: { readonly ref: string; readonly at: SourceLocation }[] = [];

  constructor(
    readonly file: string,
    readonly source: YamlSource,
    readonly limits: Limits,
  ) {}

  /** Records a problem at `path` (its value, or its key with `at: "key"`). */
  report(path: Path, message: string, code: ScenarioIssueCode, at: "value" | "key" = "value"): void {
    const { line, column } = locate(this.source, path, at);
    this.issues.push({ file: this.file, line, column, path: formatPath(path), message, code });
  }

  /** Where `path` was written. */
  location(path: Path, at: "value" | "key" = "value"): SourceLocation {
    const { line, column } = locate(this.source, path, at);
    return { line, column, path: formatPath(path) };
  }

  /** Checks that `label` names a known version; reports it at `path` otherwise. */
  checkLabel(label: string, path: Path, at: "value" | "key" = "value"): boolean {
    if (this.labels.includes(label)) return true;
    const known = this.labels.length > 0 ? ` (declared: ${this.labels.join(", ")})` : "";
    this.report(path, `"${label}" is not a declared version${known}; declare it under versions`, "undeclared-label", at);
    return false;
  }

  /** Notes an object reference written at `path` (a value, or a map's key with `at: "key"`). */
  objectRef(ref: string, path: Path, at: "value" | "key" = "value"): void {
    this.objectRefs.push({ ref, at: this.location(path, at) });
  }

  /** Notes every key of an object-keyed map as an object reference. */
  objectRefKeys(map: Readonly<Record<string, unknown>> | undefined, path: Path): void {
    for (const ref of Object.keys(map ?? {})) this.objectRef(ref, [...path, ref], "key");
  }

  /** Checks every key of a label-keyed map. */
  checkLabelKeys(map: Readonly<Record<string, unknown>> | undefined, path: Path): void {
    for (const label of Object.keys(map ?? {})) this.checkLabel(label, [...path, label], "key");
  }

  /** Resolves a code-update setting against the limits; reports and falls back on `fallback`. */
  codeUpdate(value: z.infer<typeof CodeUpdateFile> | undefined, path: Path, fallback: CodeUpdate): CodeUpdate {
    if (value === undefined) return fallback;
    let request: CodeUpdateRequest = typeof value === "string" ? { mode: value } : { mode: value.mode, ...(value.maxDelay !== undefined && { maxDelayMs: parseDurationMs(value.maxDelay) ?? 0 }) };
    if (typeof value === "string" && value.trim() !== "deferred" && value.trim() !== "immediate") {
      // wrangler's flag form, read with the flag's own rules and wording.
      const parsed = parseCodeUpdateMode(value);
      if (!parsed.ok) {
        this.report(path, parsed.error.message, parsed.error.code);
        return fallback;
      }
      request = parsed.value;
    }
    const resolved = resolveCodeUpdate(request, this.limits);
    if (resolved.ok) return resolved.value;
    this.report(typeof value === "object" && value.maxDelay !== undefined ? [...path, "maxDelay"] : path, resolved.error.message, resolved.error.code);
    return fallback;
  }

  /** A count as a range; reports `{min: 5, max: 2}`. */
  count(value: number | { min?: number | undefined; max?: number | undefined }, path: Path): CountRange {
    if (typeof value === "number") return { min: value, max: value };
    const min = value.min ?? 0;
    if (value.max !== undefined && value.max < min) this.report(path, `min (${min}) is above max (${value.max})`, "invalid-value");
    return value.max === undefined ? { min } : { min, max: value.max };
  }

  /** Maps each value of a record through `convert`, keeping keys. */
  countMap(map: Readonly<Record<string, number | { min?: number; max?: number }>> | undefined, path: Path): Record<string, CountRange> | undefined {
    if (map === undefined) return undefined;
    return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, this.count(value, [...path, key])]));
  }
}
