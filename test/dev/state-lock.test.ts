/**
 * One server per state directory: of two `dosim dev` started at the same moment one serves and the
 * other is refused with one line and exit code 2; a lock left by a killed server is taken over; and
 * a workerd the killed server never recorded (kill -9 during an upload) is found by the files it
 * holds open and stopped by the next start. The servers that hold or are refused a lock and the
 * killed ones are `dosim dev` processes; a server that only takes over after a kill runs in this
 * process.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { workerdOn } from "../../src/dev/orphans.js";
import { processAlive, readServerRecord } from "../../src/dev/state-dir.js";
import { DOSIM_BIN } from "../helpers/run-cli.js";
import { get, makeProject, removeProject, startDev, startDevInProcess, type DevServerHandle } from "./helpers.js";

/** Runs `dosim dev` until it prints its address (then it is left running) or exits. */
function devUntilReadyOrExit(dir: string): Promise<{ ready: boolean; status: number | null; output: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [DOSIM_BIN, "dev", "--port", "0"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve) => {
    const stop = async (): Promise<void> => {
      child.kill("SIGTERM");
      await exited;
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("Ready on")) resolve({ ready: true, status: null, output, stop });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (status) => resolve({ ready: false, status, output, stop }));
  });
}

describe.skipIf(process.platform !== "linux")("one dosim dev per state directory", () => {
  // One project for the file, so that its Worker is built once (builds are cached by the config's
  // path); each test starts from an empty state directory, as in a fresh copy.
  let dir: string;
  const servers: DevServerHandle[] = [];
  beforeAll(() => {
    dir = makeProject("dosim-lock-");
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
    rmSync(path.join(dir, ".dosim"), { recursive: true, force: true });
  });
  afterAll(() => removeProject(dir));

  it("two servers started at once: one serves, the other is refused with one line and exit code 2", async () => {
    const both = await Promise.all([devUntilReadyOrExit(dir), devUntilReadyOrExit(dir)]);
    const serving = both.filter((run) => run.ready);
    const refused = both.filter((run) => !run.ready);
    expect(serving).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.status).toBe(2);
    expect(refused[0]!.output.trim().split("\n")).toHaveLength(1);
    expect(refused[0]!.output).toMatch(/Another dosim dev \(pid \d+\) is using .*; stop it first, or pass another --persist-to\./);
    await serving[0]!.stop();
  });

  // One killed server for both: a lock is taken over the same way whether or not the record names
  // every workerd, and test/dev/crash.test.ts restarts after a kill with the record intact.
  it("a killed server's lock is taken over, and a workerd it never recorded is found by its state directory and stopped", async () => {
    const first = await startDev(dir);
    expect((await get(`${first.url}/objects/foo`)).status).toBe(200);
    const stateDir = path.join(dir, ".dosim");
    const orphans = readServerRecord(stateDir)!.childPids;
    await first.kill9();
    const lock = JSON.parse(readFileSync(path.join(stateDir, "dosim.lock"), "utf8")) as { pid: number };
    expect(lock.pid).toBe(first.child.pid);
    expect(processAlive(lock.pid)).toBe(false);
    expect(orphans.some(processAlive)).toBe(true);
    // As after a kill -9 between the start of a new workerd and the record naming it.
    const record = JSON.parse(readFileSync(path.join(stateDir, "server.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(path.join(stateDir, "server.json"), JSON.stringify({ ...record, childPids: [] }), { mode: 0o600 });
    expect(workerdOn(stateDir).sort()).toEqual([...orphans].sort());

    const next = await startDevInProcess(dir);
    servers.push(next);
    expect(next.output()).toMatch(/stopped \d+ workerd process\(es\) left by a server that was killed/);
    expect(orphans.some(processAlive)).toBe(false);
    expect(workerdOn(stateDir, readServerRecord(stateDir)!.childPids)).toEqual([]);
    expect((await get(next.url)).status).toBe(200);
    expect(JSON.parse((await get(`${next.url}/objects/foo`)).text)).toMatchObject({ count: 2 });
  });
});
