/**
 * A names file read as bytes: one name per line, repeats dropped (first kept), with no string made
 * per name. A million names as strings cost seconds of splitting, set insertion and garbage
 * collection on one thread, and more to copy to other threads; as bytes in shared memory they are
 * read in a few tight loops, and every thread hashes the names' bytes where they lie.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../model/input-error.js";

/** Distinct names as byte ranges of one UTF-8 text in shared memory, in order of first appearance. */
export interface NameBytes {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/**
 * The distinct non-empty lines of a UTF-8 file (lines end at `\n` or `\r\n`; a leading byte order
 * mark is not part of the first name), as {@link distinctNames} would give them from its text, and
 * how many repeats were dropped. Refuses a file that is binary (a NUL byte, or not UTF-8).
 */
export function readNamesFile(file: string): { names: NameBytes; duplicates: number } {
  const bytes = readShared(file);
  if (bytes.includes(0) || !isUtf8(bytes)) {
    throw new InputError("invalid-input", `${file} is not a text file (it holds a NUL byte or is not UTF-8); give a UTF-8 file with one object name per line.`);
  }
  const lines = lineRanges(bytes);
  const names = distinctRanges(bytes, lines.starts, lines.ends);
  if (names.starts.length === 0) throw new InputError("invalid-input", `${file} names no objects; put one name per line.`);
  return { names, duplicates: lines.starts.length - names.starts.length };
}

/** The name at `index`, as a string (for the few a report prints). */
export function nameAt(names: NameBytes, index: number): string {
  return Buffer.from(names.bytes.buffer, names.bytes.byteOffset + names.starts[index]!, names.ends[index]! - names.starts[index]!).toString("utf8");
}

function readShared(file: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const bytes = new Uint8Array(new SharedArrayBuffer(fstatSync(fd).size));
    for (let read = 0; read < bytes.length; ) {
      const got = readSync(fd, bytes, read, bytes.length - read, null);
      if (got === 0) return bytes.subarray(0, read);
      read += got;
    }
    return bytes;
  } catch {
    throw new InputError("invalid-input", `Cannot read ${file}; give a file with one object name per line.`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The byte range of every non-empty line, after a byte order mark if any (one pass, no call per line). */
function lineRanges(bytes: Uint8Array): { starts: Int32Array; ends: Int32Array } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let starts: Int32Array = new Int32Array(1024);
  let ends: Int32Array = new Int32Array(1024);
  let count = 0;
  let start = bom;
  for (let at = bom; at <= bytes.length; at++) {
    if (at < bytes.length && bytes[at] !== 0x0a) continue;
    // A carriage return ends a line only before a line feed, as text.split(/\r?\n/) reads it.
    const end = at < bytes.length && at > start && bytes[at - 1] === 0x0d ? at - 1 : at;
    if (end > start) {
      if (count === starts.length) [starts, ends] = [grown(starts), grown(ends)];
      starts[count] = start;
      ends[count++] = end;
    }
    start = at + 1;
  }
  return { starts: starts.subarray(0, count), ends: ends.subarray(0, count) };
}

function grown(values: Int32Array): Int32Array {
  const bigger = new Int32Array(values.length * 2);
  bigger.set(values);
  return bigger;
}

/** The first occurrence of every distinct range, in order, in shared memory (open addressing on an FNV-1a hash). */
function distinctRanges(bytes: Uint8Array, starts: Int32Array, ends: Int32Array): NameBytes {
  const count = starts.length;
  let size = 1;
  while (size < count * 2) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const kept = new Int32Array(count);
  let keptCount = 0;
  for (let line = 0; line < count; line++) {
    const start = starts[line]!;
    const end = ends[line]!;
    let hash = 0x811c9dc5;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ bytes[at]!, 0x01000193);
    for (let slot = hash & (size - 1); ; slot = (slot + 1) & (size - 1)) {
      const other = table[slot]!;
      if (other === -1) {
        table[slot] = line;
        kept[keptCount++] = line;
        break;
      }
      if (sameBytes(bytes, start, end, starts[other]!, ends[other]!)) break;
    }
  }
  const keptStarts = new Int32Array(new SharedArrayBuffer(keptCount * 4));
  const keptEnds = new Int32Array(new SharedArrayBuffer(keptCount * 4));
  for (let index = 0; index < keptCount; index++) {
    keptStarts[index] = starts[kept[index]!]!;
    keptEnds[index] = ends[kept[index]!]!;
  }
  return { bytes, starts: keptStarts, ends: keptEnds };
}

function sameBytes(bytes: Uint8Array, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  if (end - start !== otherEnd - otherStart) return false;
  for (let at = 0; at < end - start; at++) if (bytes[start + at] !== bytes[otherStart + at]) return false;
  return true;
}
