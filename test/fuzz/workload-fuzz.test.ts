/**
 * `dosim fuzz` with a fuzz file's WebSockets and calls, on workerd: it finds the bug planted in
 * the rpc-sockets fixture (version B renames an RPC method, so a Worker of one version calling an
 * object on the other fails) within its default run count, and writes a short scenario, holding the
 * call in scenario syntax, that `dosim replay` fails on at the same step. The seed is fixed, so the
 * run is always the same; it breaks in the first rollout and shrinks in a few more.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runDosim } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "dosim-fuzz-workload-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dosim fuzz with WebSockets and calls", () => {
  it("finds the planted RPC bug and writes it as a replayable scenario of at most 8 steps", async () => {
    const out = join(dir, "renamed.yaml");
    const fuzzed = await runDosim(["fuzz", "test/fixtures/workers/rpc-sockets/fuzz.yaml", "--path", "/rooms/{name}", "--method", "POST", "--seed", "181", "--max-steps", "8", "--out", out]);
    expect(fuzzed.stderr).toContain("50 rollout(s)");
    expect(fuzzed.status).toBe(1);
    const broke = /broke: (\S+) at step (\d+): expected (\S+), got (\S+)\./.exec(fuzzed.stdout);
    expect(broke?.[1]).toBe("failures.other");

    const text = readFileSync(out, "utf8");
    const written = parse(text) as { steps: Record<string, unknown>[] };
    expect(written.steps.length).toBeLessThanOrEqual(8);
    expect(written.steps[Number(broke![2]) - 1]).toMatchObject({ request: "/rooms/{name}/read" });

    const replayed = await runDosim(["replay", out, "--reporter", "json"]);
    expect(replayed.status).toBe(1);
    const report = JSON.parse(replayed.stdout) as { scenarios: { expectations: { step: number; name: string; passed: boolean }[] }[] };
    const failed = report.scenarios[0]!.expectations.filter((expectation) => !expectation.passed);
    expect(failed[0]).toMatchObject({ step: Number(broke![2]), name: "failures.other" });
  });
});
