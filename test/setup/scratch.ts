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
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-suite-"));
  project.provide("suiteScratch", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
