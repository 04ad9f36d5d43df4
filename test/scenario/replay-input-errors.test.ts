/**
 * `dosim replay` on Workers that cannot run: each is an input error (exit 2) told in one line that
 * names the version and the cause, never a stack trace or workerd's own log.
 */
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundlePosition, parseStartFailure } from "../../src/runtime/workerd-start.js";
import { makeProjectDir } from "../helpers/project-dir.js";
import { runDosim, type CliRun } from "../helpers/run-cli.js";

// Where the repository's build cache serves the project: its Workers that build are built once.
const dir = makeProjectDir("dosim-replay-input-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COUNTER = "export class Counter { constructor(ctx) {} fetch() { return new Response('c'); } }";
const FILES: Record<string, string> = {
  "wrangler.toml": [
    'name = "broken"',
    'main = "good.js"',
    'compatibility_date = "2026-04-01"',
    "[[durable_objects.bindings]]",
    'name = "COUNTER"',
    'class_name = "Counter"',
    "[[migrations]]",
    'tag = "v1"',
    'new_sqlite_classes = ["Counter"]',
  ].join("\n"),
  "good.js": `export default { fetch() { return new Response("ok"); } };\n${COUNTER}\n`,
  "boom.js": `// thrown from a second file, so the position must come through the source map\nexport function boom() {\n  throw new Error("boom at startup");\n}\n`,
  "throws.js": `import { boom } from "./boom.js";\nboom();\nexport default { fetch() { return new Response("x"); } };\n${COUNTER}\n`,
  "no-class.js": `export default { fetch() { return new Response("ok"); } };\n`,
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);

/** Writes a scenario deploying A, then uploading B with `main`; returns its path. */
function scenario(name: string, main: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, [`name: ${name}`, "versions:", "  A: {}", `  B: { main: ${main} }`, "steps:", "  - deploy: A", "  - upload: B"].join("\n"));
  return file;
}

/**
 * One replay of both Workers that cannot start, each a scenario of its own (a process per scenario
 * would start node and Miniflare again for each), read by the tests below; made by the first.
 */
let cannotStart: Promise<CliRun> | undefined;
const replayCannotStart = () => (cannotStart ??= runDosim(["replay", scenario("throws", "throws.js"), scenario("no-class", "no-class.js")], { cwd: dir }));

/** The one line the run's table gives scenario `name`, which could not be replayed; no stack frame anywhere. */
function errorLine(run: CliRun, name: string): string {
  expect(run.stderr + run.stdout).not.toMatch(/^\s+at /m);
  const lines = run.stdout.split("\n").filter((line) => line.startsWith("✗ "));
  expect(lines, run.stdout).toHaveLength(2);
  const mine = lines.filter((line) => line.includes(`${name}.yaml (${name})`));
  expect(mine, run.stdout).toHaveLength(1);
  return mine[0]!;
}

describe("dosim replay: Workers that cannot start", () => {
  it("a Worker that throws at startup: exit 2, the version, the cause and where in the source it was thrown", async () => {
    const run = await replayCannotStart();
    expect(run.status).toBe(2);
    expect(errorLine(run, "throws")).toMatch(
      /^✗ \S*throws\.yaml \(throws\) could not be replayed: version B \(number 2\) failed to start: Uncaught Error: boom at startup \(at boom\.js:3:\d+: throw new Error\("boom at startup"\);\); fix the Worker's code or config so that it loads\. \[version-failed-to-start\]$/,
    );
  });

  it("a Durable Object class the module does not export: exit 2, naming the class (wrangler's build refuses it)", async () => {
    const run = await replayCannotStart();
    expect(run.status).toBe(2);
    expect(errorLine(run, "no-class")).toMatch(/could not be replayed: .*no-class\.js.*not exported in your entrypoint file: Counter\. \[build-failed\]$/);
  });

  it("a wait past the virtual clock's end, then an upload: refused before anything runs", async () => {
    const file = path.join(dir, "wait.yaml");
    writeFileSync(file, ["name: wait", "versions: { A: {}, B: {} }", "steps:", "  - deploy: A", "  - wait: 99999999999999999d", "  - upload: B"].join("\n"));
    const run = await runDosim(["replay", file], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${file}:5:11: steps[1].wait: this duration runs past the end of the virtual clock`);
    expect(run.stderr).not.toMatch(/RangeError|^\s+at /m);
  });
});

describe("start failures, parsed", () => {
  it("reads workerd's report of a failed service, with and without colour, and maps bundle positions to files", () => {
    const lines = ["workerd/server/server.c++:1: info: starting", "\u001b[31mservice core:user:w--v3: Uncaught TypeError: x is not a function", "  at version.mjs:4:9"];
    const parsed = parseStartFailure(lines.map((line) => line.replace(/\u001b\[[0-9;]*m/g, "")));
    expect(parsed).toEqual({ service: "w--v3", cause: "Uncaught TypeError: x is not a function", at: "version.mjs:4:9" });
    expect(parseStartFailure(["nothing to see"])).toBeUndefined();
    // workerd's config check, before any service runs (workerd/server/server.c++).
    expect(parseStartFailure(['Worker "core:user:w--v1"\'s binding "OTHER" refers to a service "core:user:other", but no such service is defined.'])).toEqual({
      service: "w--v1",
      cause: 'its binding "OTHER" refers to a service "other", but no such service is defined',
    });
    const bundle = ["// src/a.js", "var a = 1;", "// src/b.js", "b();", "var c = 2;"].join("\n");
    expect(bundlePosition(bundle, "version.mjs:5:1")).toBe("src/b.js, bundle line 5: var c = 2;");
    expect(bundlePosition(bundle, "version.mjs:99:1")).toBe("version.mjs:99:1");
    expect(bundlePosition("// ../src/runtime/workers/version-runtime.worker.ts\nthrow x;", "version.mjs:2:1")).toBeUndefined();
  });
});
