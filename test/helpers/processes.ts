/** What the process tests ask of `ps`: which processes a process group holds. */
import { spawnSync } from "node:child_process";

/** The process ids in process group `group`. */
export function groupOf(group: number): number[] {
  const ps = spawnSync("ps", ["-eo", "pid=,pgid="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, pgid]) => pgid === group && pid! > 0)
    .map(([pid]) => pid!);
}
