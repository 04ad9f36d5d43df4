/**
 * Checks on `--persist-to` and the listen address before `dosim dev` starts anything, each turned
 * into one line that says what to do (an {@link InputError}, exit code 2) instead of a stack trace
 * from deep inside the start-up: a path that is a file or below one, a directory that cannot be
 * written, storage files that are not SQLite, an address that is not this machine's.
 */
import { accessSync, constants, closeSync, mkdirSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { isIP } from "node:net";
import os from "node:os";
import path from "node:path";
import { InputError } from "../model/input-error.js";
import { DamagedManifestError } from "../runtime/manifest.js";

/** The code of a state directory that cannot be created or written. */
export const UNUSABLE_STATE_DIR = "unusable-state-dir";

/** The one line for an error creating or writing `dir`. */
export function stateDirProblem(dir: string, error: NodeJS.ErrnoException): InputError {
  const code = error.code ?? "";
  if (code === "EEXIST" || code === "ENOTDIR") {
    return new InputError(UNUSABLE_STATE_DIR, `--persist-to ${dir} is a file, or lies below one; pass a directory (it is created if missing).`);
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new InputError(UNUSABLE_STATE_DIR, `Cannot write the state directory ${dir} (${code}); pass a --persist-to you can write, or fix its permissions.`);
  }
  return new InputError(UNUSABLE_STATE_DIR, `Cannot use the state directory ${dir} (${code || error.message}); pass another --persist-to.`);
}

/** Creates the state directory if needed and checks that it can be written. */
export function prepareStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw stateDirProblem(dir, error as NodeJS.ErrnoException);
  }
  checkStorageFiles(dir);
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

/** The first bytes of `file` (fewer when it is shorter). */
function head(file: string, length: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that every Durable Object storage file (the control plane's and the Worker's, one folder
 * per class) is SQLite: workerd would otherwise fail on the first call with an internal error.
 * An empty file is fine (SQLite creates it so).
 */
export function checkStorageFiles(dir: string): void {
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name === "bundles") continue;
    for (const entry of readdirSync(path.join(dir, folder.name), { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".sqlite")) continue;
      const file = path.join(dir, folder.name, entry.name);
      const bytes = head(file, SQLITE_HEADER.length);
      if (bytes.length > 0 && !bytes.equals(SQLITE_HEADER)) throw new DamagedManifestError(file, dir, "not an SQLite database");
    }
  }
}

/** Host names that always mean this machine. */
const LOCAL_NAMES = new Set(["localhost", "0.0.0.0", "::", "127.0.0.1", "::1"]);

/** Refuses an `--ip` that is not an address of this machine (listening there would fail). */
export function checkListenAddress(ip: string): void {
  if (LOCAL_NAMES.has(ip) || (isIP(ip) === 4 && ip.startsWith("127."))) return;
  const own = Object.values(os.networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
  if (isIP(ip) !== 0 && own.includes(ip)) return;
  const reason = isIP(ip) === 0 ? "is not an IP address" : "is not an address of this machine";
  throw new InputError("invalid-input", `--ip ${ip} ${reason}; use 127.0.0.1 (the default), ::1, or one of this machine's addresses.`);
}

