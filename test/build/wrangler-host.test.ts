/**
 * The wrangler host (src/build/wrangler-host): a failed build in it says what wrangler's own
 * launcher would have made dosim say, a host that stops during a build fails that build and is
 * replaced, a wrangler that cannot run in a host is started per build, and a host never outlives
 * the process that started it.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dryRunArgs, DryRunFailure, hostLaunch, runDryRun, WRANGLER_VERSION } from "../../src/build/run-wrangler.js";
import { buildFailureLine } from "../../src/build/wrangler-errors.js";
import { HostQueue } from "../../src/build/wrangler-host/process-host.js";
import { makeProjectDir } from "../helpers/project-dir.js";
import { groupOf } from "../helpers/processes.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const WRANGLER = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
const run = promisify(execFile);

let dir: string;
let configPath: string;
let outputs = 0;

beforeAll(() => {
  dir = makeProjectDir("wrangler-host-");
  configPath = path.join(dir, "wrangler.toml");
  writeFileSync(configPath, 'name = "host"\nmain = "worker.js"\ncompatibility_date = "2026-04-01"\n');
  writeFileSync(path.join(dir, "worker.js"), 'export default { fetch: () => new Response("ok") };\n');
  writeFileSync(path.join(dir, "syntax-error.js"), "export default { fetch( => 1 };\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh output folder for a dry run: its outdir and metafile. */
function output(): [string, string] {
  const scratch = path.join(dir, `build-${++outputs}`);
  mkdirSync(scratch);
  return [path.join(scratch, "out"), path.join(scratch, "meta.json")];
}

/** Builds the Worker of `configPath` in `host` into a fresh output folder, and returns its outdir. */
async function buildIn(host: HostQueue): Promise<string> {
  const [outdir, metafile] = output();
  await runDryRun({ configPath }, outdir, metafile, host);
  return outdir;
}

/** What a DryRunFailure of `build` says. */
async function failureOf(build: Promise<void>): Promise<string> {
  const error: unknown = await build.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DryRunFailure);
  return (error as DryRunFailure).message;
}

/**
 * The line dosim made of a failed dry run in a process of its own: wrangler's launcher, with the
 * environment dosim gives wrangler (a temporary folder whose update check says it just checked).
 */
async function launcherFailureLine(script: string): Promise<string> {
  const [outdir, metafile] = output();
  const tmp = path.join(path.dirname(outdir), "tmp");
  mkdirSync(path.join(tmp, "update-check"), { recursive: true });
  writeFileSync(path.join(tmp, "update-check", "wrangler-latest.json"), JSON.stringify({ latest: WRANGLER_VERSION, lastUpdate: Date.now() }));
  const env = { ...process.env, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", WRANGLER_LOG_PATH: path.join(tmp, "logs"), TMPDIR: tmp, TMP: tmp, TEMP: tmp };
  const args = dryRunArgs({ configPath, script }, outdir, metafile);
  const failed = await run(process.execPath, [WRANGLER, ...args], { cwd: dir, env }).then(
    () => undefined,
    (error: { stdout: string; stderr: string }) => error,
  );
  expect(failed).toBeDefined();
  return buildFailureLine(failed!.stderr, failed!.stdout);
}

describe("a wrangler host", () => {
  const host = new HostQueue((request) => hostLaunch(request.cwd));
  afterAll(() => host.stop());

  it("builds a Worker", async () => {
    expect(existsSync(path.join(await buildIn(host), "worker.js"))).toBe(true);
    expect(host.current()?.builds).toBe(1);
  });

  // After the good build, in the same host: what the first build left there must not show.
  it.each([
    ["a syntax error", "syntax-error.js"],
    ["a missing entry", "missing.js"],
  ])("fails a build with %s with the launcher's failure line", async (_, script) => {
    const before = host.current()!;
    const [outdir, metafile] = output();
    const line = await failureOf(runDryRun({ configPath, script: path.join(dir, script) }, outdir, metafile, host));
    expect(host.current()).toEqual({ pid: before.pid, builds: before.builds + 1 });
    expect(line).toEqual(await launcherFailureLine(path.join(dir, script)));
    expect(line).toContain(script);
  });
});

describe("a build in a host", () => {
  const ENV_CONFIG = 'name = "host"\nmain = "who.js"\ncompatibility_date = "2026-04-01"\ndefine = { WHO = \'"top"\' }\n\n[env.staging]\ndefine = { WHO = \'"staging"\' }\n';
  let host: HostQueue;
  // The tests set CLOUDFLARE_ENV themselves; whatever this process had is put back after them.
  const outside = process.env.CLOUDFLARE_ENV;
  beforeAll(() => {
    delete process.env.CLOUDFLARE_ENV;
    host = new HostQueue((request) => hostLaunch(request.cwd));
    for (const project of [path.join(dir, "who"), path.join(dir, "who-dotenv")]) {
      mkdirSync(project);
      writeFileSync(path.join(project, "wrangler.toml"), ENV_CONFIG);
      writeFileSync(path.join(project, "who.js"), "export default { fetch: () => new Response(WHO) };\n");
    }
    // wrangler loads a project's .env into the environment of its command.
    writeFileSync(path.join(dir, "who-dotenv", ".env"), "CLOUDFLARE_ENV=staging\n");
  });
  afterAll(() => {
    host.stop();
    if (outside === undefined) delete process.env.CLOUDFLARE_ENV;
    else process.env.CLOUDFLARE_ENV = outside;
  });

  /** Who the build of the project in `project` says it is. */
  async function who(project: string): Promise<string> {
    const [outdir, metafile] = output();
    await runDryRun({ configPath: path.join(dir, project, "wrangler.toml") }, outdir, metafile, host);
    return /new Response\("(\w+)"\)/.exec(readFileSync(path.join(outdir, "who.js"), "utf8"))?.[1] ?? "";
  }

  it("gets dosim's environment as it is at that build, and the next build's is its own", async () => {
    expect(await who("who")).toBe("top");
    // wrangler selects an environment from CLOUDFLARE_ENV, as from --env.
    process.env.CLOUDFLARE_ENV = "staging";
    try {
      expect(await who("who")).toBe("staging");
    } finally {
      delete process.env.CLOUDFLARE_ENV;
    }
    expect(await who("who")).toBe("top");
  });

  it("leaves what a project's .env file set to that build", async () => {
    expect(await who("who-dotenv")).toBe("staging");
    expect(await who("who")).toBe("top");
    expect(host.current()?.builds).toBe(5);
  });
});

describe("a host that stops during a build", () => {
  it("fails that build saying so, and the next build starts a new host", async () => {
    const fallsOver = path.join(dir, "falls-over.mjs");
    writeFileSync(
      fallsOver,
      `import { Socket } from "node:net";
new Socket({ fd: 3, readable: true, writable: true }).on("data", () => process.stderr.write("✘ [ERROR] the host fell over\\n", () => process.exit(7)));
`,
    );
    const launches: string[] = [];
    const host = new HostQueue((request) => {
      const launch = hostLaunch(request.cwd);
      launches.push(launch.ownDir);
      return launches.length === 1 ? { ...launch, script: fallsOver } : launch;
    });
    try {
      const [outdir, metafile] = output();
      expect(await failureOf(runDryRun({ configPath }, outdir, metafile, host))).toBe("wrangler stopped during the build (exit code 7): the host fell over");
      expect(host.current()).toBeUndefined();
      expect(existsSync(launches[0]!)).toBe(false);
      expect(existsSync(path.join(await buildIn(host), "worker.js"))).toBe(true);
      expect(launches).toHaveLength(2);
    } finally {
      host.stop();
    }
  });
});

describe("a host that ended while idle", () => {
  it("is replaced for the next build, which runs in the new host", async () => {
    // Answers its first build (building nothing), then ends as it reads the next: to dosim, a host
    // that died idle before its end was seen.
    const diesIdle = path.join(dir, "dies-idle.mjs");
    writeFileSync(
      diesIdle,
      `import { Socket } from "node:net";
import { outputEnd } from ${JSON.stringify(path.join(REPO_ROOT, "dist", "build", "wrangler-host", "protocol.js"))};
const end = outputEnd(process.argv[3]);
const channel = new Socket({ fd: 3, readable: true, writable: true });
let builds = 0;
channel.on("data", () => {
  if (++builds > 1) process.exit(9);
  process.stdout.write(end);
  process.stderr.write(end);
  channel.write(JSON.stringify({ kind: "done", ok: true }) + "\\n");
});
`,
    );
    let launches = 0;
    const host = new HostQueue((request) => ({ ...hostLaunch(request.cwd), ...(++launches === 1 ? { script: diesIdle } : {}) }));
    try {
      await buildIn(host);
      expect(existsSync(path.join(await buildIn(host), "worker.js"))).toBe(true);
      expect(launches).toBe(2);
    } finally {
      host.stop();
    }
  });
});

describe("a wrangler whose CLI has no main function", () => {
  it("is run in a process of its own for each build", async () => {
    const cli = path.join(dir, "cli-without-main.js");
    writeFileSync(cli, "exports.version = 1;\n");
    const host = new HostQueue((request) => ({ ...hostLaunch(request.cwd), cli }));
    for (let build = 0; build < 2; build++) {
      expect(existsSync(path.join(await buildIn(host), "worker.js"))).toBe(true);
      expect(host.current()).toBeUndefined();
    }
  });
});

describe("a host's lifetime", () => {
  // A process that builds the Worker in its host, prints the host's pid, and then ends by itself
  // or waits to be ended (as dosim does, a signal ends it through process.exit).
  const PARENT = `
import { runDryRun, wranglerHost } from ${JSON.stringify(path.join(REPO_ROOT, "dist", "build", "run-wrangler.js"))};
process.on("SIGTERM", () => process.exit(143));
const [configPath, outdir, stay] = process.argv.slice(2);
await runDryRun({ configPath }, outdir, outdir + ".meta.json");
console.log(wranglerHost.current().pid);
if (stay === "stay") setInterval(() => undefined, 60_000);
`;

  it.each([
    ["ends by itself", null],
    ["is ended by SIGTERM", "SIGTERM"],
    ["is killed", "SIGKILL"],
  ] as const)("ends with the process that started it when that %s, and leaves no process behind", async (_, signal) => {
    const script = path.join(dir, "parent.mjs");
    writeFileSync(script, PARENT);
    const [outdir] = output();
    const parent = spawn(process.execPath, [script, configPath, outdir, signal === null ? "" : "stay"], { cwd: dir, stdio: ["ignore", "pipe", "inherit"], detached: true });
    const exited = new Promise<number | null>((resolve) => parent.on("exit", (code) => resolve(code)));
    const hostPid = await new Promise<number>((resolve) => {
      let stdout = "";
      parent.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("\n")) resolve(Number(stdout.trim()));
      });
    });
    expect(groupOf(parent.pid!)).toContain(hostPid);
    if (signal !== null) parent.kill(signal);
    expect(await exited).toBe(signal === "SIGTERM" ? 143 : signal === null ? 0 : null);
    await expect.poll(() => groupOf(parent.pid!), { timeout: 120_000 }).toEqual([]);
  });
});
