/**
 * Folders for the temporary projects of tests that build a Worker (`dosim dev`, replays of copied
 * projects). dosim caches builds by the config's absolute path, so a project made at a random path
 * is built cold every time; these folders are at stable paths under node_modules/.cache instead,
 * and a test's project is built from the cache from the second run on. Each test file uses its own
 * prefix, so files running at the same time never share a folder.
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
