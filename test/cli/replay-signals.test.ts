import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** The process ids of `pid`'s children. */
function childrenOf(pid: number): number[] {
  const ps = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" });
  return ps.stdout.split("\n").map((line) => Number(line.trim())).filter((child) => child > 0);
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
  // One project for both signals: the second replay builds the Worker from the first one's cache.
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dosim-signals-"));
    writeFileSync(join(dir, "worker.js"), WORKER);
    writeFileSync(join(dir, "wrangler.toml"), CONFIG);
    writeFileSync(join(dir, "held.yaml"), SCENARIO);
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
});
