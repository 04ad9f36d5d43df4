/**
 * A damaged host manifest (`dosim-host.json`) in the state directory: `dosim dev` refuses to start
 * with one line that names the file and says how to start over, and exits with code 2.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DamagedManifestError, readManifest } from "../../src/runtime/manifest.js";
import { dosim, makeProject, removeProject } from "./helpers.js";

describe("a damaged dosim-host.json", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A state directory whose manifest holds `text`. */
  const stateWith = (text: string): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-manifest-"));
    dirs.push(dir);
    writeFileSync(path.join(dir, "dosim-host.json"), text);
    return dir;
  };

  it("is refused by readManifest with a typed error that names the file", async () => {
    for (const text of ['{"workerName": "dosim-ex', "null", '{"workerName": "w"}']) {
      const dir = stateWith(text);
      const error = (() => {
        try {
          readManifest(dir);
          return undefined;
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(DamagedManifestError);
      expect((error as DamagedManifestError).file).toBe(path.join(dir, "dosim-host.json"));
      expect((error as Error).message).toMatch(/is damaged .*to start over/);
    }
  });

  it("stops dosim dev with one line and exit code 2", async () => {
    const project = makeProject("dosim-damaged-");
    try {
      mkdirSync(path.join(project, ".dosim"));
      writeFileSync(path.join(project, ".dosim/dosim-host.json"), '{"workerName": "dosim-ex');
      const run = await dosim(project, ["dev", "--port", "0"]);
      expect(run.status).toBe(2);
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^dosim: The state file .*dosim-host\.json is damaged \(.+\)\. Move the state directory .*\.dosim away \(or remove it\) to start over .* \[damaged-state\]$/);
    } finally {
      removeProject(project);
    }
  });
});
