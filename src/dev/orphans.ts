/**
 * workerd processes a killed server left on its state directory. The server record lists those it
 * knew of, but a kill -9 during an upload comes after the new workerd started and before the
 * record names it; so the processes are also found by what they hold open: a workerd with a file
 * of this state directory open works on it (Linux /proc; elsewhere only the record serves).
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import path from "node:path";
import { processAlive } from "./state-dir.js";

/** Runs workerd (its command line names it). */
function isWorkerd(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("workerd");
  } catch {
    return false;
  }
}

/** Whether `pid` has a file below `dir` open. */
function holdsFileIn(pid: number, dir: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // Ended, or not ours to inspect.
  }
  return fds.some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(dir);
    } catch {
      return false;
    }
  });
}

/** The workerd processes, other than this server's own children, with a file of `stateDir` open. */
export function workerdOn(stateDir: string, ownChildren: readonly number[] = []): number[] {
  if (!existsSync("/proc") || !existsSync(stateDir)) return [];
  const dir = `${realpathSync(stateDir)}${path.sep}`;
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && !ownChildren.includes(pid) && isWorkerd(pid) && holdsFileIn(pid, dir));
}

/** Stops `pids` (those that still run workerd) and waits until they are gone; returns how many it stopped. */
export async function stopWorkerd(pids: readonly number[]): Promise<number> {
  const running = [...new Set(pids)].filter((pid) => processAlive(pid) && isWorkerd(pid));
  for (const pid of running) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Ended meanwhile, or not ours.
    }
  }
  for (let attempt = 0; attempt < 100 && running.some(processAlive); attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
  return running.length;
}
