import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupOf } from "../helpers/processes.js";
import { DOSIM_BIN } from "../helpers/run-cli.js";

/** Printed by the fixture Worker once its request is in flight; it then holds the request for an hour. */
const MARKER = "dosim-signal-fixture: request in flight";

const WORKER = `
import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {}
export default {
  async fetch() {
    console.log(${JSON.stringify(MARKER)});
    await new Promise((resolve) => setTimeout(resolve, 3_600_000));
    return new Response("late");
  },
};
`;

const CONFIG = `name = "signals"
main = "worker.js"
compatibility_date = "2026-04-01"

[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Counter"]
`;

const SCENARIO = `name: held-request
seed: 1
worker: wrangler.toml
versions:
  A: {}
steps:
  - deploy: A
  - request: /
    expect: { status: 200 }
`;

/** Many uploads before the held request: the replay boots a host that records 200 versions. */
const MANY_VERSIONS = `name: many-versions
seed: 1
worker: wrangler.toml
versions:
  A: {}
  B: {}
steps:
  - deploy: A
  - upload: B
    count: 200
  - deploy: B@50,A@50
  - request: /
    expect: { status: 200 }
`;

/** The process ids of `pid`'s children. */
function childrenOf(pid: number): number[] {
  const ps = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" });
  return ps.stdout.split("\n").map((line) => Number(line.trim())).filter((child) => child > 0);
}

/** The process ids of `pid`'s children that run workerd (esbuild's service is a child too, earlier). */
function workerdOf(pid: number): number[] {
  const ps = spawnSync("ps", ["-o", "pid=,comm=", "--ppid", String(pid)], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, command]) => command === "workerd")
    .map(([child]) => Number(child));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("dosim replay stops on a signal (built binary)", () => {
  let dir: string;
  // One project for every test: the Worker is built once (wrangler's build is cached by its inputs).
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dosim-signals-"));
    writeFileSync(join(dir, "worker.js"), WORKER);
    writeFileSync(join(dir, "wrangler.toml"), CONFIG);
    writeFileSync(join(dir, "held.yaml"), SCENARIO);
    writeFileSync(join(dir, "many.yaml"), MANY_VERSIONS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    it(`ends on ${signal} while a request is in flight, and takes workerd with it`, async () => {
      const child = spawn(process.execPath, [DOSIM_BIN, "replay", "held.yaml"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (status, sig) => resolve({ status, signal: sig })));
      const workerd = await new Promise<number[]>((resolve) => {
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk;
          if (stdout.includes(MARKER)) resolve(childrenOf(child.pid!));
        });
      });
      expect(workerd.length).toBeGreaterThan(0);
      child.kill(signal);
      const { status } = await exited;
      expect(status).toBe(code);
      expect(stdout).not.toContain("scenario(s)");
      await expect.poll(() => workerd.filter(alive), { timeout: 120_000 }).toEqual([]);
    });
  }

  // The host is booting: workerd has just been started with the run's config, and the replay
  // cannot end before the signal (its last step is a request held for an hour), wherever the
  // signal lands. Each child leads its own process group, so every process it started is counted.
  // Both signals at once: each replay boots its own host.
  it("ends on SIGTERM and on SIGINT while the host of many versions boots, and leaves no process behind", async () => {
    const outcomes = await Promise.all(([["SIGTERM", 143], ["SIGINT", 130]] as const).map(([signal, code]) => signalDuringBoot(signal).then((outcome) => ({ ...outcome, expected: code }))));
    for (const { status, stdout, expected } of outcomes) {
      expect(status).toBe(expected);
      expect(stdout).not.toContain("scenario(s)");
    }
  });

  /** Replays many.yaml, sends `signal` once workerd runs, and waits until its whole group has ended. */
  async function signalDuringBoot(signal: NodeJS.Signals): Promise<{ status: number | null; stdout: string }> {
    const child = spawn(process.execPath, [DOSIM_BIN, "replay", "many.yaml"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (status) => resolve(status)));
    await expect.poll(() => workerdOf(child.pid!).length, { timeout: 120_000, interval: 20 }).toBeGreaterThan(0);
    child.kill(signal);
    const status = await exited;
    await expect.poll(() => groupOf(child.pid!), { timeout: 120_000 }).toEqual([]);
    return { status, stdout };
  }
});
