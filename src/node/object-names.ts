/**
 * Where the objects of a command come from: names on the command line, a file with one name per
 * line, or a count of generated names (`object-1`, `object-2`, ...).
 */
import { readFileSync } from "node:fs";
import { InputError } from "../model/input-error.js";

/** The ways a user can name objects. */
export interface ObjectSource {
  readonly names?: string;
  readonly namesFile?: string;
  readonly objects?: number;
}

/** What every name `--objects N` gives starts with; a number from 1 follows. */
export const GENERATED_PREFIX = "object-";

/** The name `--objects N` gives the object at `index` (0-based): `object-1`, `object-2`, ... */
export function generatedName(index: number): string {
  return `${GENERATED_PREFIX}${index + 1}`;
}

/** Names `count` objects `object-1` ... `object-<count>`. */
export function generatedNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => generatedName(index));
}

/**
 * Generated names not yet made: `object-<first + 1>` ... `object-<first + count>`. A million names
 * made at once cost more in garbage collection than in hashing, so each is made where it is used.
 */
export interface GeneratedNames {
  readonly first: number;
  readonly count: number;
}

/** The names of a source: a list, or generated ones made on demand. */
export type ObjectNames = readonly string[] | GeneratedNames;

/** How many objects `names` holds. */
export function nameCount(names: ObjectNames): number {
  return "count" in names ? names.count : names.length;
}

/** The names from index `start` to `end` (exclusive), as a list. */
export function sliceNames(names: ObjectNames, start: number, end: number): string[] {
  if (!("count" in names)) return names.slice(start, end);
  return Array.from({ length: Math.max(0, Math.min(end, names.count) - start) }, (_, index) => generatedName(names.first + start + index));
}

/** The non-empty lines of a names file; refused when it is binary (a NUL byte, or not UTF-8). */
function textLines(bytes: Buffer, file: string): string[] {
  const binary = (): InputError => new InputError("invalid-input", `${file} is not a text file (it holds a NUL byte or is not UTF-8); give a UTF-8 file with one object name per line.`);
  if (bytes.includes(0)) throw binary();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw binary();
  }
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}

/** The names without repeats (first occurrence kept), and how many repeats were dropped. */
export function distinctNames(names: readonly string[]): { names: string[]; duplicates: number } {
  const distinct = [...new Set(names)];
  return { names: distinct, duplicates: names.length - distinct.length };
}

/**
 * Resolves exactly one of the sources to its names (as given: see {@link distinctNames});
 * `--objects N` to generated names, distinct by construction and made on demand.
 */
export function resolveObjectSource(source: ObjectSource): { names: ObjectNames; duplicates: number } {
  if (source.objects !== undefined && source.names === undefined && source.namesFile === undefined) {
    checkObjectCount(source.objects);
    return { names: { first: 0, count: source.objects }, duplicates: 0 };
  }
  return distinctNames(resolveObjectNames(source));
}

function checkObjectCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 50_000_000) {
    throw new InputError("invalid-input", `--objects must be a whole number from 1 to 50,000,000 (got ${count}).`);
  }
}

/** Resolves exactly one of the sources to a list of names (as given: see {@link distinctNames}). */
export function resolveObjectNames(source: ObjectSource): string[] {
  const given = [source.names, source.namesFile, source.objects].filter((value) => value !== undefined).length;
  if (given !== 1) {
    throw new InputError("invalid-input", "Name the objects with exactly one of --names a,b,c, --names-file FILE or --objects N.");
  }
  if (source.names !== undefined) {
    const names = source.names.split(",").map((name) => name.trim()).filter((name) => name.length > 0);
    if (names.length === 0) throw new InputError("invalid-input", "--names needs at least one name, for example --names foo,bar,baz.");
    return names;
  }
  if (source.namesFile !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(source.namesFile);
    } catch {
      throw new InputError("invalid-input", `Cannot read ${source.namesFile}; give a file with one object name per line.`);
    }
    const names = textLines(bytes, source.namesFile);
    if (names.length === 0) throw new InputError("invalid-input", `${source.namesFile} names no objects; put one name per line.`);
    return names;
  }
  const count = source.objects!;
  checkObjectCount(count);
  return generatedNames(count);
}
