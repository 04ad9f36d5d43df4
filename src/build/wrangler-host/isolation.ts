/**
 * Runs one wrangler command in the host as if it had a process of its own. wrangler keeps state in
 * the process: it changes the working folder (`--cwd`), replaces `process.env` with one that holds
 * the project's .env files, and may set `process.exitCode`. Each command starts from the host's
 * own state, given its folder, environment and argv, and the host's state is put back after. (What
 * wrangler reads of the environment as it loads, such as NO_COLOR and WRANGLER_LOG_PATH, it read
 * when the host started.)
 */
import type { HostRequest } from "./protocol.js";

/**
 * Runs `main` for `request`; true when wrangler's own launcher would have exited 0: `main`
 * resolved and left no other exit code (the launcher exits 1, or a FatalError's code, when it
 * rejects). Throws when the command could not be started (its folder is gone).
 */
export async function runIsolated(main: (argv: string[]) => Promise<void>, cliPath: string, request: HostRequest): Promise<boolean> {
  const env = process.env;
  const saved = { ...env };
  const cwd = process.cwd();
  const argv = process.argv;
  try {
    // Set in the process's own environment, not a copy: os.tmpdir() reads the C environment.
    setEnv(env, request.env);
    process.chdir(request.cwd);
    process.argv = [process.execPath, cliPath, ...request.args];
    process.exitCode = undefined;
    return await main([...request.args]).then(
      () => process.exitCode === undefined || Number(process.exitCode) === 0,
      () => false,
    );
  } finally {
    process.env = env;
    setEnv(env, saved);
    process.chdir(cwd);
    process.argv = argv;
    process.exitCode = undefined;
  }
}

/** Makes `env` hold exactly the keys and values of `wanted`. */
function setEnv(env: NodeJS.ProcessEnv, wanted: Readonly<Record<string, string | undefined>>): void {
  for (const key of Object.keys(env)) if (!(key in wanted)) delete env[key];
  for (const [key, value] of Object.entries(wanted)) if (value !== undefined && env[key] !== value) env[key] = value;
}
