/**
 * `dosim plan --names-file`: a binary file (a NUL byte, or not UTF-8) is refused with exit 2, and
 * a repeated name is one object, counted once, with the number dropped in the JSON report
 * (`duplicateNamesDropped`, docs/json.md) and in the human table. The refusal of a NUL byte runs
 * the built binary (its one line on stderr); the rest runs the command in this process.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { distinctNames } from "../../src/node/object-names.js";
import { runDosim } from "../helpers/run-cli.js";
import { planInProcess } from "./in-process.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-names-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLAN = ["--namespace", "hello-Counter", "--step", "A@100", "--step", "B@100", "--json"];
const TABLE = PLAN.filter((arg) => arg !== "--json");

describe("plan --names-file", () => {
  it("refuses binary input with exit 2 and one line", async () => {
    writeFileSync(path.join(dir, "nul.txt"), Buffer.from("foo\0bar\n"));
    writeFileSync(path.join(dir, "latin1.txt"), Buffer.from([0x66, 0x6f, 0x6f, 0x0a, 0xff, 0xfe, 0x0a]));
    const refusal = (file: string) => `dosim: ${file} is not a text file (it holds a NUL byte or is not UTF-8); give a UTF-8 file with one object name per line. [invalid-input]\n`;
    const nul = await runDosim(["plan", ...PLAN, "--names-file", "nul.txt"], { cwd: dir });
    expect(nul.status).toBe(2);
    expect(nul.stderr).toBe(refusal("nul.txt"));
    const latin1 = path.join(dir, "latin1.txt");
    const notUtf8 = await planInProcess([...PLAN, "--names-file", latin1]);
    expect(notUtf8.status).toBe(2);
    expect(notUtf8.stderr).toBe(refusal(latin1));
  });

  it("counts a repeated name once and says how many were dropped", async () => {
    const names = path.join(dir, "names.txt");
    writeFileSync(names, "foo\nbar\nfoo\nfoo\n");
    const run = await planInProcess([...PLAN, "--names-file", names]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as { objectCount: number; duplicateNamesDropped?: number };
    expect(report).toMatchObject({ objectCount: 2, duplicateNamesDropped: 2 });
    const table = await planInProcess([...TABLE, "--names-file", names]);
    expect(table.stdout).toContain("Namespace hello-Counter, 2 object(s) (2 duplicate name(s) dropped).");
    const summary = await planInProcess([...TABLE, "--names-file", names, "--view", "summary"]);
    expect(summary.stdout).toContain("2 objects (2 duplicate name(s) dropped).");
    // Without repeats the field is absent.
    writeFileSync(path.join(dir, "distinct.txt"), "foo\nbar\n");
    const distinct = JSON.parse((await planInProcess([...PLAN, "--names-file", path.join(dir, "distinct.txt")])).stdout) as Record<string, unknown>;
    expect(distinct).not.toHaveProperty("duplicateNamesDropped");
    expect(distinctNames(["foo", "bar", "foo", "foo"])).toEqual({ names: ["foo", "bar"], duplicates: 2 });
  });
});
