/**
 * `dosim validate` checks the Worker configs a scenario runs, without starting workerd: a config
 * without `main`, a `main` that does not exist and a config that does not parse are each reported
 * at the place in the scenario that names the config, and exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDosim } from "../helpers/run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-validate-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  "no-main.toml": 'name = "t"\ncompatibility_date = "2026-04-01"\n',
  "gone.toml": 'name = "t"\nmain = "gone.js"\ncompatibility_date = "2026-04-01"\n',
  "broken.toml": 'name = "t"\nmain = [\n',
  "good.js": 'export default { fetch() { return new Response("ok"); } };\n',
  "rooms.toml": 'name = "rooms"\nmain = "rooms.js"\ncompatibility_date = "2026-04-01"\n[[durable_objects.bindings]]\nname = "ROOMS"\nclass_name = "Room"\n',
  "rooms.js": 'export class Room { fetch() { return new Response("r"); } }\nexport default { fetch() { return new Response("ok"); } };\n',
  "refs.yaml": ["name: refs", "worker: rooms.toml", "objects: [lobby, ROOMS:hall, Room:attic, Chat:lobby]", "versions: { A: {} }", "steps:", "  - deploy: A", "  - idle: USERS:ada"].join("\n"),
  "scenario.yaml": ["name: configs", "worker: no-main.toml", "versions:", "  A: {}", "  B: { config: gone.toml }", "  C: { config: broken.toml }", "  D: { main: good.js }", "steps:", "  - deploy: A"].join("\n"),
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);

/** What `--json` reports of a file's issues. */
interface JsonReport {
  files: { file: string; issues: { line: number; column: number; path: string; code: string; message: string }[] }[];
}

/** One `dosim validate --json` of both scenarios (a process each would start node twice), read by both tests; made by the first. */
let validated: Promise<{ status: number | null; report: JsonReport }> | undefined;
function validateBoth() {
  validated ??= runDosim(["validate", "--json", "scenario.yaml", "refs.yaml"], { cwd: dir }).then((run) => ({ status: run.status, report: JSON.parse(run.stdout) as JsonReport }));
  return validated;
}

describe("dosim validate: Worker configs", () => {
  it("reports a config without main, a main that is missing and a config that does not parse, at the scenario's reference", async () => {
    const { status, report } = await validateBoth();
    expect(status).toBe(2);
    expect(report.files[0]!.file).toBe("scenario.yaml");
    const issues = report.files[0]!.issues;
    expect(issues.map(({ line, column, path: at, code }) => ({ line, column, path: at, code }))).toEqual([
      { line: 2, column: 9, path: "worker", code: "invalid-worker-config" },
      { line: 5, column: 16, path: "versions.B.config", code: "invalid-worker-config" },
      { line: 6, column: 16, path: "versions.C.config", code: "invalid-worker-config" },
    ]);
    expect(issues[0]!.message).toBe(`no-main.toml has no "main": set main = "src/index.ts" (your Worker's entry module) in it.`);
    expect(issues[1]!.message).toBe(`gone.toml: the entry module gone.js does not exist; fix "main".`);
    expect(issues[2]!.message).toMatch(/^broken\.toml: .*TOML/);
  });

  it("reports an object named in a class or binding the Worker does not have, where it is written", async () => {
    const { status, report } = await validateBoth();
    expect(status).toBe(2);
    expect(report.files[1]!.file).toBe("refs.yaml");
    const issues = report.files[1]!.issues;
    expect(issues.map(({ line, column, path: at, code }) => ({ line, column, path: at, code }))).toEqual([
      { line: 3, column: 42, path: "objects[3]", code: "unknown-object-class" },
      { line: 7, column: 11, path: "steps[1].idle", code: "unknown-object-class" },
    ]);
    expect(issues[0]!.message).toBe('"Chat" in "Chat:lobby" is not a Durable Object class or binding of the Worker (its classes (bindings): Room (ROOMS)); write Class:name, or a name without ":"');
  });

  // That the shipped scenarios and their config are accepted (exit 0, nothing on stderr) is
  // validate-cli.test.ts's first test, the same command.
});
