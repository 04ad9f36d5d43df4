/**
 * Helpers for the dev-server tests: a temporary copy of the example project, a real `dosim dev`
 * process on an ephemeral loopback port, and the verbs run as users run them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { makeProjectDir } from "../helpers/project-dir.js";
import { DOSIM_BIN, REPO_ROOT, runDosim, type CliRun } from "../helpers/run-cli.js";
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

/** A running `dosim dev`. */
export interface DevProcess {
  readonly child: ChildProcess;
  readonly record: ServerRecord;
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (its workerd survives, as after a real kill -9), and wait for the exit. */
  kill9(): Promise<void>;
}

/**
 * Starts `dosim dev --port 0` in `dir` and waits until it says it is ready (it publishes its record
 * first). No deadline of its own: a server that never gets ready fails the test at vitest's timeout.
 */
export async function startDev(dir: string, args: readonly string[] = []): Promise<DevProcess> {
  const child = spawn(process.execPath, [DOSIM_BIN, "dev", "--port", "0", ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<boolean>((resolve) => {
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("Ready on")) resolve(true);
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

/** Runs `dosim <args>` in `dir`. */
export function dosim(dir: string, args: readonly string[], input?: string): Promise<CliRun> {
  return runDosim(args, { cwd: dir, ...(input !== undefined && { input }), env: { CI: "1" } });
}

/** GETs a path of the dev server and returns the body. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers });
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
