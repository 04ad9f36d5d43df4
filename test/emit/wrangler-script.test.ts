/**
 * `dosim replay --emit wrangler`: the script and runbook of every shipped scenario are what the
 * snapshots hold, are valid POSIX shell (sh -n, bash -n, and shellcheck where it is installed),
 * and run green against `dosim dev` with dosim's verbs standing in for wrangler (WRANGLER selects
 * the binary), which proves the command sequence end to end. The server runs in this process (it
 * publishes its record as `dosim dev` does, and the verbs find it by that record): the scripts and
 * the verbs they run are the subject, not the `dosim dev` process (test/dev/tutorial.test.ts).
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProjectDir } from "../helpers/project-dir.js";
import { DOSIM_BIN, REPO_ROOT, runDosim } from "../helpers/run-cli.js";
import { startDevInProcess, type DevServerHandle } from "../dev/helpers.js";
import { SCRIPT_PRELUDE } from "../../src/emit/script-prelude.js";

const run = promisify(execFile);
const LIVE_SCRIPTS = path.join("test-results", "runbooks");
const OUT = path.join(REPO_ROOT, LIVE_SCRIPTS);
const scriptOf = (scenario: string): string => scenario.replace(/\.yaml$/, ".sh");
const SHIPPED = readdirSync(path.join(REPO_ROOT, "scenarios")).filter((name) => name.endsWith(".yaml")).sort();

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  const emitted = await runDosim(["replay", "scenarios", "--emit", "wrangler", "--emit-dir", OUT]);
  expect(emitted.status, emitted.stderr).toBe(0);
});

const shellcheck = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck"].find((candidate) => existsSync(candidate));

/**
 * shellcheck's findings on every emitted script, one per line, each starting with its script's
 * path (gcc format): one run for all of them, as its start-up costs more than a script's check.
 */
async function shellcheckFindings(): Promise<string[]> {
  if (shellcheck === undefined) return [];
  const scripts = SHIPPED.map((file) => path.join(OUT, scriptOf(file)));
  // Exit code 1 means findings, which are then on stdout; anything else is shellcheck failing.
  const output = await run(shellcheck, ["-s", "sh", "-S", "warning", "-f", "gcc", ...scripts]).then(
    (result) => result.stdout,
    (error: { code?: unknown; stdout?: string; stderr?: string }) => {
      if (error.code !== 1 || !error.stdout) throw new Error(`shellcheck failed: ${String(error.stderr)}`);
      return error.stdout;
    },
  );
  return output.split("\n").filter((line) => line !== "");
}

describe("replay --emit wrangler, for every shipped scenario", () => {
  let findings: string[];
  beforeAll(async () => {
    findings = await shellcheckFindings();
  });

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
    expect(findings.filter((line) => line.startsWith(`${path.join(OUT, `${base}.sh`)}:`))).toEqual([]);
  });
});

/**
 * Scripts that run against dosim dev, one of each kind of command the scripts use: deploys,
 * uploads and requests with version checks (01), secrets, expected refusals and a rollback (07).
 * 02's reordered splits use the same commands as 01, and 05's rollback mid-rollout the same as
 * 07 (its rollback names no version: the tutorial's, test/dev/tutorial.test.ts, runs that form
 * through the binary); others send thousands of requests. They run one after another on one
 * server, as rollouts follow each other on one account: each script names the versions it uploads
 * by id, and 01 (which counts requests to fresh objects) runs first.
 */
const LIVE = [
  { file: "01-docs-progression.yaml", versionHeader: "worker-version" },
  { file: "07-secrets-during-a-split.yaml", versionHeader: "worker-version" },
];

describe("the emitted script against dosim dev, with the verbs standing in for wrangler", () => {
  let dir: string;
  let server: DevServerHandle;
  beforeAll(async () => {
    dir = makeProjectDir("dosim-emit-");
    mkdirSync(path.join(dir, "src/example"), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, "wrangler.toml"), path.join(dir, "wrangler.toml"));
    copyFileSync(path.join(REPO_ROOT, "src/example/worker.ts"), path.join(dir, "src/example/worker.ts"));
    // The scripts emitted above, at the same place relative to the copy of the project: they name
    // its config relative to themselves, so they run against the copy as they are.
    mkdirSync(path.join(dir, LIVE_SCRIPTS), { recursive: true });
    for (const { file } of LIVE) copyFileSync(path.join(OUT, scriptOf(file)), path.join(dir, LIVE_SCRIPTS, scriptOf(file)));
    server = await startDevInProcess(dir);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it.each(LIVE)("$file runs green", async ({ file, versionHeader }) => {
    const env = { ...process.env, NO_COLOR: "1", WRANGLER: `${process.execPath} ${DOSIM_BIN}`, BASE_URL: server.url, ...(versionHeader !== undefined && { VERSION_HEADER: versionHeader }) };
    const result = await run("sh", [path.join(dir, LIVE_SCRIPTS, scriptOf(file))], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`the script failed:\n${error.stdout.slice(-3000)}\n${error.stderr.slice(-3000)}`);
    });
    expect(result.stdout).toMatch(/✓ [\w-]+: every check that can be seen from outside held\n$/);
    if (versionHeader !== undefined) expect(result.stdout).not.toContain("not checked");
  });
});
