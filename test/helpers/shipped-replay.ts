/**
 * One `dosim replay` of every shipped scenario per test run, shared by the test files that read
 * it (its reports and traces), so that no file replays a shipped scenario another one replayed.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ReplayReport } from "../../src/report/replay-report.js";
import { REPO_ROOT, runDosim, type CliRun } from "./run-cli.js";
import { sharedRun } from "./shared-run.js";

/** Every shipped scenario, as the replay names it (relative to the repository). */
export const SHIPPED_SCENARIOS = readdirSync(path.join(REPO_ROOT, "scenarios"))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => `scenarios/${name}`);

/** The reporters of the shared replay, and the file each writes. */
export const SHIPPED_REPORTS = { json: "report.json", table: "report.txt", junit: "report.xml", markdown: "report.md", html: "report.html" } as const;

/** The jobs of the shared replay: two, so that a test replaying again with another number compares runs that differ in it. */
export const SHIPPED_JOBS = 2;

/** The shared replay: its folder (SHIPPED_REPORTS and traces.ndjson), how the CLI ended, and the JSON report. */
export interface ShippedReplay {
  readonly dir: string;
  readonly run: CliRun;
  readonly report: ReplayReport;
  /** The path of one of its files. */
  file(name: string): string;
}

/** Replays every shipped scenario once per test run (with every reporter and traces) and returns it. */
export async function shippedReplay(): Promise<ShippedReplay> {
  const shared = await sharedRun("shipped-replay", async (dir) => {
    const reporters = Object.entries(SHIPPED_REPORTS).flatMap(([reporter, file]) => ["--reporter", reporter, "--out", path.join(dir, file)]);
    return runDosim(["replay", ...SHIPPED_SCENARIOS, ...reporters, "--traces", path.join(dir, "traces.ndjson"), "--jobs", String(SHIPPED_JOBS)]);
  });
  const file = (name: string): string => path.join(shared.dir, name);
  const report = shared.value.status === 0 ? (JSON.parse(readFileSync(file(SHIPPED_REPORTS.json), "utf8")) as ReplayReport) : undefined;
  if (report === undefined) throw new Error(`dosim replay of the shipped scenarios exited ${shared.value.status}:\n${shared.value.stdout}\n${shared.value.stderr}`);
  return { dir: shared.dir, run: shared.value, report, file };
}
