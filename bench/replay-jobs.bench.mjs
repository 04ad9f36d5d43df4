// Replay scale-out: every shipped scenario replayed by the built CLI with --jobs 2 vs --jobs 1, in
// the same run with rounds interleaved, as a ratio of wall-clock times (each scenario runs on its
// own workerd, so two jobs can use two cores). Both runs must give the same JSON report.
// Run after `npm run build`:  node bench/replay-jobs.bench.mjs   (BENCH_REPLAY_ROUNDS, default 1)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, report, timeRoundsAsync } from "./timing.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = path.join(ROOT, "dist/cli/main.js");
const ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 1);
const out = mkdtempSync(path.join(os.tmpdir(), "dosim-bench-jobs-"));

/** Replays ./scenarios with `jobs` jobs into out/jobs<n>.json; rejects unless every expectation held. */
function replay(jobs) {
  return new Promise((resolve, reject) => {
    const args = [CLI, "replay", "--jobs", String(jobs), "--reporter", "json", "--out", path.join(out, `jobs${jobs}.json`)];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", (status) => (status === 0 ? resolve() : reject(new Error(`dosim replay --jobs ${jobs} exited ${status}`))));
  });
}

try {
  const samples = await timeRoundsAsync(ROUNDS, { jobs1: () => replay(1), jobs2: () => replay(2) });
  const same = readFileSync(path.join(out, "jobs1.json"), "utf8") === readFileSync(path.join(out, "jobs2.json"), "utf8");
  if (!same) throw new Error("--jobs 1 and --jobs 2 gave different reports");
  const [one, two] = [median(samples.jobs1), median(samples.jobs2)];
  report({ "replay.jobs1_s": one / 1000, "replay.jobs2_s": two / 1000, "replay.jobs_speedup": one / two });
} finally {
  rmSync(out, { recursive: true, force: true });
}
