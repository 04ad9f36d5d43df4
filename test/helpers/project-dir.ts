/**
 * Folders for the temporary projects of tests that build a Worker (`dosim dev`, replays of copied
 * projects). They are made under node_modules/.cache of the repository, so that they share the
 * repository's build cache: dosim's build cache is keyed by paths relative to the project, so a
 * copy of the example (or of a fixture) is served the build of the original or of another copy,
 * instead of running wrangler again. A project in the system's temp folder would have a cache of
 * its own. Each test file uses its own prefix, so files running at the same time never share a
 * folder.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./run-cli.js";

/** Where the projects are made. */
export const PROJECTS_ROOT = path.join(REPO_ROOT, "node_modules", ".cache", "dosim-tests");

const made = new Map<string, number>();

/**
 * An empty folder for a project, `<prefix><n>` for the n-th made with `prefix` by this process
 * (the same path in every run of the same tests). Whatever an earlier, interrupted run left there
 * is removed first; the caller removes the folder when done.
 */
export function makeProjectDir(prefix: string): string {
  const count = (made.get(prefix) ?? 0) + 1;
  made.set(prefix, count);
  const dir = path.join(PROJECTS_ROOT, `${prefix}${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
