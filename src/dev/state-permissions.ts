/**
 * The state directory holds secret values (in the manifest, the control plane's SQLite files and
 * the objects' storage) and the API token: only its owner may read it. New files are made
 * owner-only by the process's file mode mask, which workerd inherits; files an older dosim left
 * readable are narrowed at start.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

/** Group and other permission bits: never set on anything in the state directory. */
const SHARED_BITS = 0o077;

/** Creates `stateDir` owner-only (0700), and takes group and other access from everything below it. */
export function secureStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  narrow(stateDir);
  for (const entry of readdirSync(stateDir, { recursive: true })) narrow(path.join(stateDir, String(entry)));
}

/** Makes every file and directory this process (and the workerd it starts) creates from now on owner-only. */
export function createOwnerOnly(): void {
  process.umask(SHARED_BITS);
}

function narrow(file: string): void {
  try {
    const stat = lstatSync(file);
    if (!stat.isSymbolicLink() && (stat.mode & SHARED_BITS) !== 0) chmodSync(file, stat.mode & 0o7700);
  } catch {
    // Gone while we looked (workerd removes its journal files).
  }
}
