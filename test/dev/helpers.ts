/**
 * Helpers for the dev-server tests: a temporary copy of the example project, a dev server on an
 * ephemeral loopback port (a real `dosim dev` process, or the same server started in the test's
 * own process), and the verbs run as users run them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { makeProjectDir } from "../helpers/project-dir.js";
import { DOSIM_BIN, REPO_ROOT, runDosim, type CliRun } from "../helpers/run-cli.js";
import { resolveWranglerConfig } from "../../src/build/find-config.js";
import type { DevServer } from "../../src/dev/server.js";
import { readServerRecord, type ServerRecord } from "../../src/dev/state-dir.js";
import type { VerbIo } from "../../src/cli/verb.js";

/** A temporary copy of the example Worker (wrangler.toml and src/example); `prefix` is the test file's own. */
export function makeProject(prefix: string): string {
  const dir = makeProjectDir(prefix);
  mkdirSync(path.join(dir, "src/example"), { recursive: true });
  copyFileSync(path.join(REPO_ROOT, "wrangler.toml"), path.join(dir, "wrangler.toml"));
  copyFileSync(path.join(REPO_ROOT, "src/example/worker.ts"), path.join(dir, "src/example/worker.ts"));
  return dir;
}

/** Removes a project directory. */
export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A running dev server, as the tests use it: a `dosim dev` process or a server in this process. */
export interface DevServerHandle {
  /** Its record: as it was published at the start (a process), or as it is now (in this process). */
  readonly record: ServerRecord;
  readonly url: string;
  /** Everything it printed (or logged) so far. */
  output(): string;
  /** Stops it, and waits until it has stopped. */
  stop(): Promise<void>;
}

/** A running `dosim dev`. */
export interface DevProcess extends DevServerHandle {
  readonly child: ChildProcess;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (its workerd survives, as after a real kill -9), and wait for the exit. */
  kill9(): Promise<void>;
}

/**
 * Starts `dosim dev --port 0` in `dir` and waits until it has printed its whole start-up banner,
 * which ends with the dashboard's address (it publishes its record first). "Ready on" alone is not
 * enough: the lines after it can arrive in a later chunk of the pipe on a busy machine. No deadline
 * of its own: a server that never gets ready fails the test at vitest's timeout.
 */
export async function startDev(dir: string, args: readonly string[] = []): Promise<DevProcess> {
  const child = spawn(process.execPath, [DOSIM_BIN, "dev", "--port", "0", ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<boolean>((resolve) => {
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/^Dashboard: \S+\n/m.test(output)) resolve(true);
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    void exited.then(() => resolve(false));
  });
  const record = (await ready) ? readServerRecord(path.join(dir, ".dosim")) : undefined;
  if (record === undefined || record.pid !== child.pid) {
    // SIGTERM, so that a server still running stops its workerd too.
    child.kill("SIGTERM");
    throw new Error(`dosim dev did not start in ${dir}:\n${output}`);
  }
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { child, record, url: record.url, output: () => output, stop: () => signal("SIGTERM"), kill9: () => signal("SIGKILL") };
}

/** The flags of `dosim dev` an in-process server takes, as its command passes them on. */
export interface InProcessDevOptions {
  readonly seed?: string;
}

const WATCHED_EVENTS = ["exit", "SIGINT", "SIGTERM", "message"] as const;

/** The process's listeners of the events a server hooks (to stop workerd, remove its record and lock). */
function processListeners(): { event: string; listener: unknown }[] {
  return WATCHED_EVENTS.flatMap((event) => process.listeners(event as "exit").map((listener) => ({ event, listener })));
}

/**
 * How many stops left a listener of each event and source on the process. Libraries install some
 * hooks once per process, the first time they are used (wrangler's SIGINT and SIGTERM handlers,
 * signal-exit's), and those are left once; a hook left a second time is one that every server
 * adds and does not remove, which would pile up in the test worker.
 */
const leftBehind = new Map<string, number>();

/** Fails if a server left a listener that an earlier server left too. */
function checkListenersSince(before: ReturnType<typeof processListeners>): void {
  const previous = before.map((entry) => entry.listener);
  for (const { event, listener } of processListeners()) {
    const index = previous.indexOf(listener);
    if (index >= 0) {
      previous.splice(index, 1);
      continue;
    }
    const key = `${event}: ${String(listener)}`;
    const times = (leftBehind.get(key) ?? 0) + 1;
    leftBehind.set(key, times);
    if (times > 1) throw new Error(`the dev server left a process listener behind, as an earlier one did: ${key}`);
  }
}

/**
 * Starts the dev server in the test's own process, as `dosim dev --port 0` in `dir` starts it: the
 * config found from `dir` as wrangler finds it, the state in `dir/.dosim`. For the tests whose
 * subject is what the server answers, not the `dosim dev` process: Miniflare and wrangler are
 * already loaded in the test worker, where a process of its own costs a Node start and their
 * import. Log lines are kept for `output()`. `stop()` closes the server (workerd, record and lock),
 * puts the process's file mode mask back, and fails if the server left a listener on the process
 * that would outlive it in the test worker.
 */
export async function startDevInProcess(dir: string, options: InProcessDevOptions = {}): Promise<DevServerHandle> {
  const before = processListeners();
  // The server makes its files owner-only with the process's mask, which the test worker keeps.
  const umask = process.umask();
  let output = "";
  let server: DevServer;
  let stopped: Promise<void> | undefined;
  try {
    // Imported here, as `dosim dev` does: files that only run the binary do not load Miniflare.
    const { startDevServer } = await import("../../src/dev/server.js");
    server = await startDevServer({
      config: resolveWranglerConfig(undefined, dir),
      port: 0,
      persistTo: path.join(dir, ".dosim"),
      write: (line) => void (output += `${line}\n`),
      ...options,
    });
  } catch (error) {
    process.umask(umask);
    throw error;
  }
  return {
    get record() {
      return server.record;
    },
    url: server.url,
    output: () => output,
    stop: () =>
      (stopped ??= server.close().then(() => {
        process.umask(umask);
        checkListenersSince(before);
      })),
  };
}

/** Runs `dosim <args>` in `dir`. */
export function dosim(dir: string, args: readonly string[], input?: string): Promise<CliRun> {
  return runDosim(args, { cwd: dir, ...(input !== undefined && { input }), env: { CI: "1" } });
}

/**
 * The header that makes a request ask for no compression, as curl's requests do by default. Node's
 * fetch asks for gzip, and the Worker's answers are then compressed in workerd and inflated again
 * on their way to the test, which costs the server more CPU than the rest of a small request; no
 * test here is about compression.
 */
export const UNCOMPRESSED = { "accept-encoding": "identity" } as const;

/** GETs a path of the dev server as curl does (no compression asked for) and returns the body. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers: { ...UNCOMPRESSED, ...headers } });
  return { status: response.status, text: await response.text() };
}

/** Reads a file of the project. */
export function readProjectFile(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), "utf8");
}

/** A verb's io that keeps what the verb prints, byte for byte as the binary would write it to stdout. */
export interface CapturedIo extends VerbIo {
  /** Everything printed so far. */
  text(): string;
}

/**
 * An io for a verb's function run in the test's own process (the function the binary's command
 * calls after parsing its flags and finding the server): a verb there costs an HTTP call instead
 * of a Node process. Outside a terminal, as in CI: no prompter.
 */
export function captureIo(): CapturedIo {
  let printed = "";
  return { out: (text) => void (printed += `${text}\n`), text: () => printed };
}
