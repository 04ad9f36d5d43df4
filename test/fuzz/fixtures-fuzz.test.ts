/**
 * dosim fuzzes real Workers of both class shapes in the suite: the classic-class fixture and the
 * RPC-class fixture (whose answers nest their count: `object.count`); both count stored writes, so
 * nothing lost is checked too. Each is
 * a short run bounded by count, with a fixed seed, and must find nothing: every generated rollout
 * keeps the docs' guarantees and fails no request except with the reset error.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDosim } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "dosim-fuzz-fixtures-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURES = [
  { worker: "classic-html", args: ["--path", "/rooms/{name}", "--method", "POST"] },
  { worker: "sqlite-rpc", args: ["--path", "/{name}", "--method", "POST", "--count-field", "object.count"] },
];

describe("dosim fuzz over the real-Workers fixtures", () => {
  it.each(FIXTURES)("finds nothing in $worker", async ({ worker, args }) => {
    const out = join(dir, `${worker}.yaml`);
    const run = await runDosim(["fuzz", `test/fixtures/workers/${worker}/fuzz.yaml`, ...args, "--runs", "2", "--max-steps", "8", "--seed", "7", "--out", out]);
    expect(run.stderr).not.toContain("stored writes are not counted");
    expect(run.stdout).toBe("✓ 2 rollout(s) ran; nothing broke (--seed 7).\n");
    expect(run.status).toBe(0);
  });
});
