/**
 * A names file read as bytes (src/node/names-file.ts) gives the names, and the number of repeats
 * dropped, that reading it as text and splitting it into lines gives; and each name's slot is the
 * one hashed from its string.
 */
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { objectSlotsFromNameBytes, objectSlotsFromNames } from "../../src/model/object-slots.js";
import { nameAt, readNamesFile } from "../../src/node/names-file.js";
import { distinctNames, resolveObjectNames } from "../../src/node/object-names.js";

const dir = mkdtempSync(join(tmpdir(), "dosim-names-bytes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a read gives, or the message it refuses with. */
function outcome(read: () => { names: string[]; duplicates: number }): { names: string[]; duplicates: number } | string {
  try {
    return read();
  } catch (error) {
    return (error as Error).message;
  }
}

describe("names file read as bytes", () => {
  it("gives the names and repeats that the file's text split into lines gives (property)", () => {
    // Line ends of both kinds, stray carriage returns, a byte order mark, repeats and non-ASCII names.
    const piece = fc.constantFrom("a", "b", "ä", "日", "😀", "\n", "\r", "\r\n", "\n\n", "\uFEFF", " ");
    const file = join(dir, "names.txt");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        writeFileSync(file, pieces.join(""));
        const asBytes = outcome(() => {
          const { names, duplicates } = readNamesFile(file);
          return { names: Array.from(names.starts, (_, index) => nameAt(names, index)), duplicates };
        });
        expect(asBytes).toEqual(outcome(() => distinctNames(resolveObjectNames({ namesFile: file }))));
        if (typeof asBytes === "string") return;
        const { names } = readNamesFile(file);
        expect(Array.from(objectSlotsFromNameBytes("hello-Counter", names.bytes, names.starts, names.ends))).toEqual(Array.from(objectSlotsFromNames("hello-Counter", asBytes.names)));
      }),
    );
  });

  it("refuses a binary file and a missing one as reading it as text does", () => {
    const binary = join(dir, "binary.txt");
    writeFileSync(binary, Buffer.from([0x66, 0x0a, 0xff]));
    for (const file of [binary, join(dir, "missing.txt")]) {
      expect(outcome(() => ({ names: [], duplicates: readNamesFile(file).duplicates }))).toBe(outcome(() => ({ names: resolveObjectNames({ namesFile: file }), duplicates: 0 })));
    }
  });
});
