/**
 * dosim fuzzes real Workers of both class shapes in the suite: the classic-class fixture, the
 * RPC-class fixture (whose answers nest their count: `object.count`), and the rpc-sockets fixture
 * rolled out to a safe version, whose fuzz file adds WebSockets and RPC calls; all count stored
 * writes, so nothing lost is checked too. Each is one rollout (each rollout is a fresh host), with a
 * fixed seed, and must find nothing: the generated rollout keeps the docs' guarantees and fails no
 * request except with the reset error. For rpc-sockets the seed's rollout (13 steps) checks sockets
 * both open and closed and sends calls; of seeds 1-400 with up to 6, 8 or 10 steps, none does all
 * three in one rollout.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDosim } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "dosim-fuzz-fixtures-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURES = [
  { worker: "classic-html", file: "fuzz.yaml", args: ["--path", "/rooms/{name}", "--method", "POST", "--runs", "1", "--max-steps", "8", "--seed", "7"], runs: 1, seed: 7 },
  { worker: "sqlite-rpc", file: "fuzz.yaml", args: ["--path", "/{name}", "--method", "POST", "--count-field", "object.count", "--runs", "1", "--max-steps", "8", "--seed", "7"], runs: 1, seed: 7 },
  { worker: "rpc-sockets", file: "fuzz-safe.yaml", args: ["--path", "/rooms/{name}", "--method", "POST", "--runs", "1", "--max-steps", "12", "--seed", "80"], runs: 1, seed: 80 },
];

describe("dosim fuzz over the real-Workers fixtures", () => {
  it.each(FIXTURES)("finds nothing in $worker", async ({ worker, file, args, runs, seed }) => {
    const out = join(dir, `${worker}.yaml`);
    const run = await runDosim(["fuzz", `test/fixtures/workers/${worker}/${file}`, ...args, "--out", out]);
    expect(run.stderr).not.toContain("stored writes are not counted");
    expect(run.stdout).toBe(`✓ ${runs} rollout(s) ran; nothing broke (--seed ${seed}).\n`);
    expect(run.status).toBe(0);
  });
});
