/**
 * `dosim dev` start-up on input it cannot use: each case ends with one line that says what to do,
 * the built binary's exit code 2, and no stack trace.
 */
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateDirProblem } from "../../src/dev/state-check.js";
import { manifestProblem } from "../../src/runtime/manifest-shape.js";
import { dosim, makeProject, removeProject, startDevInProcess } from "./helpers.js";

let project: string;

// A state directory to damage, made by a server in this process: the refusals below are the binary's.
beforeAll(async () => {
  project = makeProject("dosim-start-errors-");
  const dev = await startDevInProcess(project);
  await dev.stop();
});
afterAll(() => removeProject(project));

/** A copy of the project's state directory, changed by `damage`; returns its name. */
function damagedCopy(name: string, damage: (dir: string) => void): string {
  const dir = path.join(project, name);
  cpSync(path.join(project, ".dosim"), dir, { recursive: true });
  rmSync(path.join(dir, "server.json"), { force: true });
  damage(dir);
  return name;
}

/** Runs `dosim dev` with `args` and returns its only stderr line, after checking exit code 2. */
async function refusedStart(args: readonly string[]): Promise<string> {
  const run = await dosim(project, ["dev", "--port", "0", ...args]);
  expect(run.status, run.stderr).toBe(2);
  expect(run.stderr).not.toMatch(/^\s+at |Node\.js v/m);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0]!;
}

describe("dosim dev: start-up refusals", () => {
  it("--persist-to that is a file, or below a file", async () => {
    writeFileSync(path.join(project, "a-file"), "x");
    for (const target of ["a-file", "a-file/state"]) {
      expect(await refusedStart(["--persist-to", target])).toBe(
        `dosim: --persist-to ${path.join(project, target)} is a file, or lies below one; pass a directory (it is created if missing). [unusable-state-dir]`,
      );
    }
  });

  it("a missing --config", async () => {
    expect(await refusedStart(["--config", "nowhere.toml"])).toBe(
      "dosim: nowhere.toml: no such wrangler config; pass -c/--config with the path of your wrangler.json, wrangler.jsonc or wrangler.toml. [config-not-found]",
    );
  });

  it("an --ip that is not this machine's", async () => {
    expect(await refusedStart(["--ip", "192.0.2.1"])).toBe("dosim: --ip 192.0.2.1 is not an address of this machine; use 127.0.0.1 (the default), ::1, or one of this machine's addresses. [invalid-input]");
    expect(await refusedStart(["--ip", "not an address"])).toMatch(/^dosim: --ip not an address is not an IP address; use 127\.0\.0\.1/);
  });

  it("a manifest of the wrong shape (valid JSON, wrong fields)", async () => {
    const name = damagedCopy("state-shape", (dir) => {
      const file = path.join(dir, "dosim-host.json");
      const manifest = JSON.parse(readFileSync(file, "utf8"));
      manifest.versions[0].bundleFile = 42;
      writeFileSync(file, JSON.stringify(manifest));
    });
    expect(await refusedStart(["--persist-to", name])).toMatch(
      /^dosim: The state file .*state-shape\/dosim-host\.json is damaged \(not a dosim host manifest: versions\[0\]\.bundleFile: expected string, received number\)\. Move the state directory .*state-shape away \(or remove it\) to start over with a new state\. \[damaged-state\]$/,
    );
  });

  it("deleted bundles", async () => {
    const name = damagedCopy("state-bundles", (dir) => rmSync(path.join(dir, "bundles"), { recursive: true }));
    expect(await refusedStart(["--persist-to", name])).toMatch(/^dosim: The state file .*state-bundles\/bundles\/\w+\.json is damaged \(a version's code cannot be read: ENOENT\)\. Move the state directory .* \[damaged-state\]$/);
  });

  it("a corrupt control-plane SQLite file", async () => {
    const name = damagedCopy("state-sqlite", (dir) => {
      const folder = path.join(dir, "dosim-control-ControlPlane");
      const database = readdirSync(folder).find((file) => file.endsWith(".sqlite") && file !== "metadata.sqlite")!;
      writeFileSync(path.join(folder, database), Buffer.alloc(4096, 0x5a));
    });
    expect(await refusedStart(["--persist-to", name])).toMatch(/^dosim: The state file .*dosim-control-ControlPlane\/\w+\.sqlite is damaged \(not an SQLite database\)\. .* \[damaged-state\]$/);
  });
});

describe("start-up problems, mapped", () => {
  it("an unwritable state directory says so and how to fix it", () => {
    for (const code of ["EACCES", "EPERM", "EROFS"]) {
      const problem = stateDirProblem("/srv/state", Object.assign(new Error(code), { code }));
      expect(problem.code).toBe("unusable-state-dir");
      expect(problem.message).toBe(`Cannot write the state directory /srv/state (${code}); pass a --persist-to you can write, or fix its permissions.`);
    }
  });

  it("manifest problems name the field", () => {
    expect(manifestProblem({ workerName: "w", seed: "1", versions: [] })).toBeUndefined();
    expect(manifestProblem({ workerName: "w", versions: [] })).toBe("seed: expected string, received undefined");
    expect(manifestProblem([])).toBe("the file: expected object, received array");
  });
});
