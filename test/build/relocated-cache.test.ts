/**
 * A copy of a project in another folder (a moved project, another CI checkout path) is served by
 * the build cache with its own paths, and never with a build of different inputs. The projects
 * share one cache: they sit beside a `node_modules` folder in one temporary folder.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorker, type BuildResult } from "../../src/build/worker-build.js";
import { sourcePosition } from "../../src/build/source-position.js";

const GREET = ["/** Greets, or fails on an empty name. */", "export function greet(name: string): string {", '  if (name === "") throw new Error("greet-failure: no name");', "  return `${PREFIX} ${name}`;", "}", ""];

/** A Worker importing a source file of its own and a package from the `node_modules` above it. */
const PROJECT: Record<string, string> = {
  "wrangler.json": JSON.stringify({ name: "relocated", main: "src/index.ts", compatibility_date: "2025-06-01" }),
  "src/index.ts": 'import { greet } from "./greet.js";\nexport default { fetch: (request: Request) => new Response(greet(new URL(request.url).pathname.slice(1))) };\n',
  "src/greet.ts": `import { PREFIX } from "greeting-pkg";\n${GREET.join("\n")}`,
};

let root: string;

function writeProject(dir: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, dir, file)), { recursive: true });
    writeFileSync(path.join(root, dir, file), text);
  }
  return path.join(root, dir);
}

function build(dir: string): Promise<BuildResult> {
  return buildWorker({ configPath: path.join(root, dir, "wrangler.json"), moduleRules: [], findAdditionalModules: false, watchDirs: [] });
}

function entryText(result: BuildResult): string {
  return Buffer.from(result.build.modules[0]!.contents).toString("utf8");
}

/** Where the bundle's `greet-failure` line is in the source, as a start-up failure reports it. */
function failurePosition(result: BuildResult): string | undefined {
  const lines = entryText(result).split("\n");
  const line = lines.findIndex((text) => text.includes("greet-failure"));
  const column = lines[line]!.indexOf("throw") + 1;
  return sourcePosition(result.build.sourceMap!, line + 1, column, root);
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "dosim-relocated-"));
  writeProject("node_modules/greeting-pkg", { "package.json": '{ "name": "greeting-pkg", "type": "module", "main": "index.js" }', "index.js": 'export const PREFIX = "hello";\n' });
  writeProject("first", PROJECT);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a copy of a project in another folder", () => {
  let first: BuildResult;
  let copy: BuildResult;

  beforeAll(async () => {
    first = await build("first");
    cpSync(path.join(root, "first"), path.join(root, "copy"), { recursive: true });
    copy = await build("copy");
  });

  it("is served from the cache, with the same modules", () => {
    expect([first.cached, copy.cached]).toEqual([false, true]);
    expect(copy.build.modules).toEqual(first.build.modules);
  });

  it("has its source positions in its own files", () => {
    const line = GREET.findIndex((text) => text.includes("greet-failure")) + 2;
    const column = GREET[line - 2]!.indexOf("throw") + 1;
    const code = 'if (name === "") throw new Error("greet-failure: no name");';
    expect(failurePosition(first)).toBe(`first/src/greet.ts:${line}:${column}: ${code}`);
    expect(failurePosition(copy)).toBe(`copy/src/greet.ts:${line}:${column}: ${code}`);
  });

  // A copy with a node_modules of its own has its own cache (the nearest node_modules holds it); a
  // recorded package found elsewhere from a copy is refused too (see portable-paths.test.ts).
  it("rebuilds after an edit, or with a package version of its own, and the original is still served", async () => {
    const edited = writeProject("edited", { ...PROJECT, "src/greet.ts": PROJECT["src/greet.ts"]!.replace("${PREFIX} ${name}", "${PREFIX}, ${name}") });
    const shadowing = writeProject("shadowing", { ...PROJECT, "node_modules/greeting-pkg/package.json": readFileSync(path.join(root, "node_modules/greeting-pkg/package.json"), "utf8"), "node_modules/greeting-pkg/index.js": 'export const PREFIX = "howdy";\n' });
    const [afterEdit, withPackage] = await Promise.all([build(path.basename(edited)), build(path.basename(shadowing))]);
    expect([afterEdit.cached, withPackage.cached]).toEqual([false, false]);
    expect(entryText(afterEdit)).toContain("${PREFIX}, ${name}");
    expect(entryText(withPackage)).toContain('"howdy"');
    expect(entryText(withPackage)).not.toContain('"hello"');
    const again = await build("copy");
    expect([again.cached, entryText(again)]).toEqual([true, entryText(first)]);
  });
});
