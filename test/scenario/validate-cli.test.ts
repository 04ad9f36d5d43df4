import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeProjectDir } from "../helpers/project-dir.js";
import { REPO_ROOT, runDosim } from "../helpers/run-cli.js";

/** A preload that lists the packages dosim's modules require (see the file). */
const RECORD_REQUIRES = join(REPO_ROOT, "test/scenario/fixtures/record-requires.cjs");

// Each workspace is a project of its own, made where the repository's build cache serves it: the
// small Worker they all hold is built by wrangler once, not once per workspace and run.
const workspaces: string[] = [];
afterAll(() => workspaces.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder holding a small Worker and its wrangler.toml, so scenarios written into it find (and build) it (removed after the tests). */
function workspace(): string {
  const dir = makeProjectDir("dosim-validate-");
  workspaces.push(dir);
  writeFileSync(join(dir, "wrangler.toml"), 'name = "hello"\nmain = "worker.js"\ncompatibility_date = "2025-06-01"\n');
  writeFileSync(join(dir, "worker.js"), 'export default { fetch: () => new Response("hello") };\n');
  return dir;
}

const GOOD = ["name: good", "versions: { A: {}, B: {} }", "steps:", "  - deploy: A", "  - upload: B", "  - deploy: B@20,A@80", ""].join("\n");
const BROKEN = ["name: broken", "versions: { A: {} }", "steps:", "  - deploy: A", "    mesage: hi", "  - deploy: C@100", ""].join("\n");

describe("dosim validate (built binary)", () => {
  it("checks every shipped scenario and its Worker config by default and exits 0, without loading Miniflare", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "dosim-validate-requires-")), "requires.txt");
    workspaces.push(dirname(log));
    const run = await runDosim(["validate"], { env: { NODE_OPTIONS: `--require ${RECORD_REQUIRES}`, DOSIM_REQUIRES_LOG: log } });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("✓ scenarios/01-docs-progression.yaml (docs-progression, 11 steps)");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("11 scenario(s) valid.");
    // Checking that the code builds reads the build cache (or runs wrangler as a process), never
    // Miniflare: loading it took longer than the rest of the check.
    expect(readFileSync(log, "utf8").split("\n")).not.toContain("miniflare");
  });

  it("prints every problem as file:line:column: path: message [code] and exits 2", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "good.yaml"), GOOD);
    writeFileSync(join(dir, "broken.yml"), BROKEN);
    const run = await runDosim(["validate", "good.yaml", "broken.yml"], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout.split("\n")).toEqual([
      "✓ good.yaml (good, 3 steps)",
      "✗ broken.yml",
      '  broken.yml:5:5: steps[0].mesage: unknown key "mesage"; did you mean "message"? [unknown-key]',
      '  broken.yml:6:13: steps[1].deploy: "C" is not a declared version (declared: A); declare it under versions [undeclared-label]',
      "1 of 2 scenario(s) valid; 2 problem(s) in 1 file(s).",
      "",
    ]);
  });

  it("expands folders, reports missing files, and prints JSON with --json", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "a.yaml"), GOOD);
    writeFileSync(join(dir, "b.yaml"), BROKEN);
    writeFileSync(join(dir, "notes.txt"), "not a scenario");
    const run = await runDosim(["validate", "--json", ".", "missing.yaml"], { cwd: dir });
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.schema).toBe("dosim.validate/v1");
    expect(report.valid).toBe(false);
    expect(report.files.map((file: { file: string; valid: boolean }) => [file.file, file.valid])).toEqual([
      ["a.yaml", true],
      ["b.yaml", false],
      ["missing.yaml", false],
    ]);
    expect(report.files[1].issues[0]).toEqual({
      file: "b.yaml",
      line: 5,
      column: 5,
      path: "steps[0].mesage",
      message: 'unknown key "mesage"; did you mean "message"?',
      code: "unknown-key",
    });
    expect(report.files[2].issues[0].code).toBe("unreadable-file");
  });

  it("builds each version's code, offline, and reports a build failure at the version with esbuild's position", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "broken.js"), 'import { gone } from "./gone.js";\nexport default { fetch: () => gone() };\n');
    writeFileSync(join(dir, "build.yaml"), ["name: build", "versions:", "  A: {}", "  B: { main: broken.js }", "steps:", "  - deploy: A", ""].join("\n"));
    const run = await runDosim(["validate", "build.yaml"], { cwd: dir });
    expect(run.status).toBe(2);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("✗ build.yaml");
    expect(lines[1]).toMatch(/^  build\.yaml:4:\d+: versions\.B: version B: wrangler\.toml \(broken\.js\): build failed: broken\.js:1:22: Could not resolve "\.\/gone\.js" \[build-failed\]$/);
    expect(run.stderr).toBe("");
    const unbuilt = await runDosim(["validate", "--no-build", "build.yaml"], { cwd: dir });
    expect(unbuilt.status).toBe(0);
  });

  it("exits 2 with a hint when there is nothing to validate", async () => {
    const run = await runDosim(["validate"], { cwd: workspace() });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("No ./scenarios folder here");
    expect(run.stderr).toContain("[invalid-input]");
  });
});
