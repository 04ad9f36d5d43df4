/**
 * Runs `wrangler deploy --dry-run --outdir <dir>` for one Worker: wrangler's own build (its module
 * rules, `[build]` command, alias, define, nodejs_compat polyfills, additional modules), writing
 * exactly what it would upload, and nothing sent anywhere. The builds of a process run one after
 * another in one long-lived wrangler process, the wrangler host (see wrangler-host/), which loads
 * wrangler's CLI once instead of once per build; a wrangler that cannot run there is started for
 * each build, at most two at once.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot, scratchFolder } from "./build-cache.js";
import type { HostLaunch } from "./wrangler-host/client.js";
import { HostQueue } from "./wrangler-host/process-host.js";
import { buildFailureLine } from "./wrangler-errors.js";

/** What one dry run builds: a config, optionally another entry, an environment and a date. */
export interface DryRunRequest {
  /** Absolute path of the wrangler config. */
  readonly configPath: string;
  /** Another entry module than the config's `main` (absolute), as `wrangler deploy <script>`. */
  readonly script?: string;
  /** `-e/--env`. */
  readonly env?: string;
  /** `--compatibility-date`, for a config that sets none. */
  readonly compatibilityDate?: string;
}

/** A dry run that failed: the one line wrangler's output comes down to. */
export class DryRunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DryRunFailure";
  }
}

const require = createRequire(import.meta.url);
const WRANGLER_PACKAGE = require.resolve("wrangler/package.json");

/** The installed wrangler's version (part of every build's cache key). */
export const WRANGLER_VERSION: string = (require(WRANGLER_PACKAGE) as { version: string }).version;

/**
 * wrangler's CLI and the flags its launcher (`bin/wrangler.js`) starts it with. The launcher only
 * checks Node's version and starts a second Node process on the CLI with these flags (and its own
 * execArgv, none here); starting the CLI directly makes one process of the two, and saves a Node
 * start-up per build. The wrangler-parity test compares this against the launcher's output.
 */
const WRANGLER_CLI = path.join(path.dirname(WRANGLER_PACKAGE), "wrangler-dist", "cli.js");
const WRANGLER_NODE_FLAGS = ["--no-warnings", "--experimental-vm-modules"];

/**
 * The host's script. It runs as compiled JavaScript, from dist/ also when dosim runs from its
 * TypeScript sources (the test suite builds dist/ before it starts).
 */
const HOST_SCRIPT = fileURLToPath(new URL("../../dist/build/wrangler-host/host.js", import.meta.url));

const MAX_PARALLEL = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function slot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** wrangler's arguments for a dry run into `outdir`. */
export function dryRunArgs(request: DryRunRequest, outdir: string, metafile: string): string[] {
  return [
    "deploy",
    ...(request.script !== undefined ? [request.script] : []),
    "--dry-run",
    "--outdir",
    outdir,
    "--metafile",
    metafile,
    "--config",
    request.configPath,
    ...(request.env !== undefined ? ["--env", request.env] : []),
    ...(request.compatibilityDate !== undefined ? ["--compatibility-date", request.compatibilityDate] : []),
  ];
}

/**
 * A temporary folder for the dry run in which wrangler's update check finds that it checked just now
 * and that the installed wrangler is the newest. wrangler 4.86 has no switch for that check, and
 * its deploy command runs it (asking the npm registry) whenever the config holds a field it does not
 * know or the build fails; the check (the update-check package) skips the registry for an hour
 * after the time in `<os.tmpdir()>/update-check/wrangler-latest.json`. A dosim build never touches
 * the network. (A host asks once, and remembers the answer for all its builds.)
 */
function quietTmpdir(scratch: string): string {
  const dir = path.join(scratch, "tmp");
  mkdirSync(path.join(dir, "update-check"), { recursive: true });
  writeFileSync(path.join(dir, "update-check", "wrangler-latest.json"), JSON.stringify({ latest: WRANGLER_VERSION, lastUpdate: Date.now() }));
  return dir;
}

/**
 * The environment wrangler runs in: no colours, no prompts, no metrics, no banner, its debug log in
 * `logPath`. Read by wrangler's modules as they load, so a host gets it when it starts.
 */
function wranglerEnv(logPath: string, tmp: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CI: "true",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    WRANGLER_LOG_PATH: logPath,
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
  };
}

/**
 * How to start a host for a build of the project in `projectDir` (exported for tests that start
 * hosts of their own): its own folder (wrangler's log,
 * which wrangler names once per process) in that project's build cache, removed when it ends.
 */
export function hostLaunch(projectDir: string): HostLaunch {
  const ownDir = scratchFolder(cacheRoot(projectDir));
  return {
    script: HOST_SCRIPT,
    cli: WRANGLER_CLI,
    nodeFlags: WRANGLER_NODE_FLAGS,
    env: wranglerEnv(path.join(ownDir, "logs"), quietTmpdir(ownDir)),
    ownDir,
    cwd: path.dirname(WRANGLER_PACKAGE),
  };
}

/** The wrangler host of this process (its builds run one after another). */
export const wranglerHost = new HostQueue((request) => hostLaunch(request.cwd));

/**
 * Runs the dry run (in `host`, this process's by default); resolves when `outdir` holds the
 * upload, rejects with a {@link DryRunFailure}.
 */
export async function runDryRun(request: DryRunRequest, outdir: string, metafile: string, host: HostQueue = wranglerHost): Promise<void> {
  const args = dryRunArgs(request, outdir, metafile);
  const cwd = path.dirname(request.configPath);
  if (existsSync(HOST_SCRIPT)) {
    const scratch = path.dirname(outdir);
    const outcome = await host.run({ args, cwd, env: wranglerEnv(path.join(scratch, "logs"), quietTmpdir(scratch)) });
    if (outcome.kind === "done" && outcome.ok) return;
    if (outcome.kind === "done") throw new DryRunFailure(buildFailureLine(outcome.stderr, outcome.stdout));
    if (outcome.kind === "stopped") throw new DryRunFailure(`wrangler stopped during the build (${outcome.how}): ${buildFailureLine(outcome.stderr, outcome.stdout)}`);
  }
  return slot(() => spawnedDryRun(args, cwd, outdir));
}

/** Runs the dry run in a wrangler process of its own. */
function spawnedDryRun(args: readonly string[], cwd: string, outdir: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const scratch = path.dirname(outdir);
    const child = spawn(process.execPath, [...WRANGLER_NODE_FLAGS, WRANGLER_CLI, ...args], {
      cwd,
      env: wranglerEnv(path.join(scratch, "logs"), quietTmpdir(scratch)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => reject(new DryRunFailure(`could not run wrangler: ${error.message}`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new DryRunFailure(buildFailureLine(Buffer.concat(stderr).toString(), Buffer.concat(stdout).toString())))));
  });
}
