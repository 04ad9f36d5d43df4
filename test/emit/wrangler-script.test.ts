/**
 * `dosim replay --emit wrangler`: the script and runbook of every shipped scenario are what the
 * snapshots hold, are valid POSIX shell (sh -n, bash -n, and shellcheck where it is installed),
 * and run green against `dosim dev` with dosim's verbs standing in for wrangler (WRANGLER selects
 * the binary), which proves the command sequence end to end.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { DOSIM_BIN, REPO_ROOT, runDosim } from "../helpers/run-cli.js";
import { startDev } from "../dev/helpers.js";
import { SCRIPT_PRELUDE } from "../../src/emit/script-prelude.js";

const run = promisify(execFile);
const OUT = path.join(REPO_ROOT, "test-results", "runbooks");
const SHIPPED = readdirSync(path.join(REPO_ROOT, "scenarios")).filter((name) => name.endsWith(".yaml")).sort();

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  const emitted = await runDosim(["replay", "scenarios", "--emit", "wrangler", "--emit-dir", OUT]);
  expect(emitted.status, emitted.stderr).toBe(0);
});

const shellcheck = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck"].find((candidate) => existsSync(candidate));

describe("replay --emit wrangler, for every shipped scenario", () => {
  it("starts every script with the same functions", async () => {
    await expect(SCRIPT_PRELUDE).toMatchFileSnapshot("__snapshots__/prelude.sh");
  });

  it.each(SHIPPED)("%s: the script and runbook are as snapshotted, and valid shell", async (file) => {
    const base = file.replace(/\.yaml$/, "");
    const script = readFileSync(path.join(OUT, `${base}.sh`), "utf8");
    // Every script carries the same functions (SCRIPT_PRELUDE, snapshotted once below); the
    // snapshot of each holds what is its own: the header and the steps.
    const [head, rest] = script.split(SCRIPT_PRELUDE);
    expect(rest, "the prelude is in the script").toBeDefined();
    await expect(`${head}${rest}`).toMatchFileSnapshot(`__snapshots__/${base}.sh`);
    await expect(readFileSync(path.join(OUT, `${base}.md`), "utf8")).toMatchFileSnapshot(`__snapshots__/${base}.md`);
    await run("sh", ["-n", path.join(OUT, `${base}.sh`)]);
    await run("bash", ["-n", path.join(OUT, `${base}.sh`)]);
    if (shellcheck !== undefined) await run(shellcheck, ["-s", "sh", "-S", "warning", path.join(OUT, `${base}.sh`)]);
  });
});

/** Scenarios that run against dosim dev: deploys, a reordered split, a rollback, secrets (others send thousands of requests). */
const LIVE = [
  { file: "01-docs-progression.yaml", versionHeader: "worker-version" },
  { file: "02-reordering-versions.yaml" },
  { file: "05-rollback-mid-rollout.yaml" },
  { file: "07-secrets-during-a-split.yaml" },
];

describe("the emitted script against dosim dev, with the verbs standing in for wrangler", () => {
  it.each(LIVE)("$file runs green", async ({ file, versionHeader }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-emit-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, "src/example"), { recursive: true });
    mkdirSync(path.join(dir, "scenarios"));
    copyFileSync(path.join(REPO_ROOT, "wrangler.toml"), path.join(dir, "wrangler.toml"));
    copyFileSync(path.join(REPO_ROOT, "src/example/worker.ts"), path.join(dir, "src/example/worker.ts"));
    copyFileSync(path.join(REPO_ROOT, "scenarios", file), path.join(dir, "scenarios", file));
    const emitted = await runDosim(["replay", `scenarios/${file}`, "--emit", "wrangler", "--emit-dir", "runbooks"], { cwd: dir });
    expect(emitted.status, emitted.stderr).toBe(0);
    const server = await startDev(dir);
    onTestFinished(() => server.stop());
    const env = { ...process.env, NO_COLOR: "1", WRANGLER: `${process.execPath} ${DOSIM_BIN}`, BASE_URL: server.url, ...(versionHeader !== undefined && { VERSION_HEADER: versionHeader }) };
    const result = await run("sh", [path.join(dir, "runbooks", file.replace(/\.yaml$/, ".sh"))], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`the script failed:\n${error.stdout.slice(-3000)}\n${error.stderr.slice(-3000)}`);
    });
    expect(result.stdout).toMatch(/✓ [\w-]+: every check that can be seen from outside held\n$/);
    if (versionHeader !== undefined) expect(result.stdout).not.toContain("not checked");
  });
});
