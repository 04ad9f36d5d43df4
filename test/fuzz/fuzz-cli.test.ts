/**
 * `dosim fuzz` as users run it: it finds the planted bug within its default run count and writes
 * a short scenario that `dosim replay` fails on in the same way; the bundled Worker passes a short
 * run; bad input exits 2. Seeds are fixed, and runs bounded by count, so every run is the same.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runDosim } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "dosim-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dosim fuzz", () => {
  it("finds the planted bug, shrinks it to a few steps, and the written file replays to the same failure", async () => {
    const out = join(dir, "planted.yaml");
    // Seed 146 with rollouts of up to 8 steps breaks at once, so shrinking takes a few runs; with
    // the defaults (24 steps) seed 3 breaks at rollout 2 too, but shrinking takes ~40 runs.
    const fuzzed = await runDosim(["fuzz", "test/fixtures/workers/planted-bug/fuzz.yaml", "--seed", "146", "--max-steps", "8", "--out", out]);
    expect(fuzzed.stderr).toContain("--seed 146");
    expect(fuzzed.status).toBe(1);
    expect(fuzzed.stdout.split("\n")).toContain(out);
    const broke = /broke: (\S+) at step (\d+): expected (\S+), got (\S+)\./.exec(fuzzed.stdout);
    expect(broke?.[1]).toBe("json");

    const written = parse(readFileSync(out, "utf8")) as { seed: number; steps: unknown[]; versions: Record<string, unknown> };
    expect(written.steps.length).toBeLessThanOrEqual(8);
    expect(typeof written.seed).toBe("number");
    expect(readFileSync(out, "utf8")).toContain("dosim fuzz --seed 146");

    const replayed = await runDosim(["replay", out, "--reporter", "json"]);
    expect(replayed.status).toBe(1);
    const report = JSON.parse(replayed.stdout) as { scenarios: { expectations: { step: number; name: string; passed: boolean; expected: unknown; actual: unknown }[] }[] };
    const failed = report.scenarios[0]!.expectations.filter((expectation) => !expectation.passed);
    expect(failed[0]).toMatchObject({ step: Number(broke![2]), name: "json", expected: JSON.parse(broke![3]!), actual: JSON.parse(broke![4]!) });
  });

  it("reports nothing on the bundled example Worker", async () => {
    const run = await runDosim(["fuzz", "--runs", "1", "--max-steps", "5", "--seed", "1", "--out", join(dir, "none.yaml")]);
    expect(run.stdout).toBe("✓ 1 rollout(s) ran; nothing broke (--seed 1).\n");
    expect(run.status).toBe(0);
  });

  // The count is asked about only when a rollout breaks: here the first one does, on a field the
  // Worker never answers, and the search runs again from the start without the count check.
  it("searches again without the count check when the Worker's answers do not hold the count field", async () => {
    const run = await runDosim(["fuzz", "--runs", "1", "--max-steps", "5", "--seed", "1", "--count-field", "nope", "--out", join(dir, "uncounted.yaml")]);
    expect(run.stderr).toContain('A first request to /objects/{name} does not answer {"nope":1}, so stored writes are not counted (--count-field names the field).\n');
    expect(run.stdout).toBe("✓ 1 rollout(s) ran; nothing broke (--seed 1).\n");
    expect(run.status).toBe(0);
  });

  it("refuses bad flags with exit code 2", async () => {
    const runs = await runDosim(["fuzz", "--runs", "0"]);
    expect(runs.stderr).toContain("--runs must be a whole number from 1");
    expect(runs.status).toBe(2);
    const version = await runDosim(["fuzz", "--version", "B"]);
    expect(version.stderr).toContain("--version B is not NAME=path");
    expect(version.status).toBe(2);
  });
});
