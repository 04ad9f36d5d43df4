import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The built binary, as users run it. */
export const DOSIM_BIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** What a finished CLI run printed and returned. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `dosim <args>` to completion in `cwd` (the repository root by default). */
export function runDosim(args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const result = spawnSync(process.execPath, [DOSIM_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    ...(options.input !== undefined && { input: options.input }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
