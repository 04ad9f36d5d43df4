/**
 * One server per state directory: an exclusive lock file (`dosim.lock`, created atomically) that
 * holds the owner's pid and its start time. Two servers on one directory would both open its
 * SQLite files and run one object in two processes. A lock whose owner no longer runs (killed with
 * kill -9, or a pid since reused by another program) is stale and taken over.
 */
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { processAlive } from "./state-dir.js";

const LOCK_FILE = "dosim.lock";

/** Another running server holds the directory's lock. */
export class StateDirLockedError extends Error {
  readonly code = "state-dir-in-use";
}

/** Who holds a lock. */
interface LockOwner {
  readonly pid: number;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for the owner. */
  readonly started: string;
}

/** A held lock; `release` removes it (also done when the process exits). */
export interface StateLock {
  release(): void;
}

/** Takes the lock of `stateDir` (which must exist), or throws {@link StateDirLockedError}. */
export function lockStateDir(stateDir: string): StateLock {
  const file = path.join(stateDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, started: startTime(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createLock(file, me)) return held(file, me);
    const owner = readOwner(file);
    if (owner !== undefined && owns(owner)) {
      throw new StateDirLockedError(`Another dosim dev (pid ${owner.pid}) is using ${stateDir}; stop it first, or pass another --persist-to.`);
    }
    breakStaleLock(file, owner);
  }
  throw new StateDirLockedError(`Could not lock ${stateDir}: another dosim dev is starting on it; try again.`);
}

/** Creates the lock with its content in one step (a hard link fails if the name exists), so no one reads it empty. */
function createLock(file: string, me: LockOwner): boolean {
  const draft = `${file}.${process.pid}.new`;
  writeFileSync(draft, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Removes a stale lock. It is first renamed to a name of this process's own, so of two servers
 * breaking it at once only one succeeds; a lock that turns out to be live again is put back.
 */
function breakStaleLock(file: string, seen: LockOwner | undefined): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // Someone else moved it first: try to create ours again.
  }
  const moved = readOwner(aside);
  if (moved !== undefined && owns(moved) && (seen === undefined || moved.pid !== seen.pid)) {
    renameSync(aside, file); // A live lock taken between our read and our rename: not ours to break.
    return;
  }
  rmSync(aside, { force: true });
}

function held(file: string, me: LockOwner): StateLock {
  const release = (): void => {
    if (readOwner(file)?.pid === me.pid) rmSync(file, { force: true });
  };
  process.once("exit", release);
  return {
    release() {
      release();
      process.off("exit", release);
    },
  };
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LockOwner>;
    return typeof parsed.pid === "number" ? { pid: parsed.pid, started: String(parsed.started ?? "") } : undefined;
  } catch {
    return undefined; // Damaged: stale.
  }
}

/** Whether the lock's owner still runs (the same process, not a later one with its pid). */
function owns(owner: LockOwner): boolean {
  if (!processAlive(owner.pid)) return false;
  const started = startTime(owner.pid);
  return owner.started === "" || started === "" || owner.started === started;
}

/** A process's start time from /proc (field 22 of its stat), or "" where there is no /proc. */
export function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}
