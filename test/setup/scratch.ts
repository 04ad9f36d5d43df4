import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A folder shared by every test file of one run, removed after it (see test/helpers/shared-run.ts). */
    suiteScratch: string;
  }
}

/**
 * Makes the run's shared folder, where the first test file that needs an expensive result (the
 * replay of every shipped scenario) leaves it for the others, and removes it when the run ends.
 * In watch mode each rerun gets a fresh one: what the files share was made from the code as it was.
 */
export default function setup(project: TestProject): () => void {
  let dir = "";
  const fresh = (): void => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(path.join(os.tmpdir(), "dosim-suite-"));
    project.provide("suiteScratch", dir);
  };
  fresh();
  project.onTestsRerun(fresh);
  return () => rmSync(dir, { recursive: true, force: true });
}
