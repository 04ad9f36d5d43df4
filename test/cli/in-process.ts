/**
 * `dosim plan` and `dosim check` run in this process, for tests about what they compute rather than
 * about the binary: the command's own registration parses the arguments (defaults included), and
 * the function its action calls makes the output, written into the run instead of the process's
 * streams. The binary adds node's start-up (most of a plan's cost, or of a check refused before
 * any host starts) and main.ts's mapping of errors to exit code 2 with `dosim: <message> [<code>]`
 * on stderr, mirrored here; each command's test file also runs the built binary for its wiring.
 * Not for runs that boot hosts: measured on `dosim fuzz`, a search in a test worker costs more CPU
 * than the same search in a process of its own.
 */
import { Command, CommanderError } from "commander";
import { normalizeCodeUpdateArgs } from "../../src/cli/code-update-flag.js";
import { checkCommand, registerCheck, type CheckFlags } from "../../src/cli/commands/check.js";
import { planOutput, registerPlan, type PlanFlags } from "../../src/cli/commands/plan.js";
import { EXIT, InputError } from "../../src/cli/exit-codes.js";
import type { CliRun } from "../helpers/run-cli.js";

/** Where a command run in this process writes. */
interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * Runs the one command `register` adds, with `args` after its name; `act` stands for its action
 * (given the action's arguments but the last, the command) and returns the exit code.
 */
async function runInProcess(name: string, register: (program: Command) => void, args: readonly string[], act: (io: Io, ...values: never[]) => Promise<number>): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let status: number = EXIT.ok;
  const io: Io = { out: (text) => (stdout += text), err: (text) => (stderr += text) };
  const program = new Command("dosim").enablePositionalOptions().exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  register(program);
  program.commands[0]!.action(async (...values: unknown[]) => {
    status = await act(io, ...(values.slice(0, -1) as never[]));
  });
  try {
    await program.parseAsync(normalizeCodeUpdateArgs(["node", "dosim", name, ...args]));
  } catch (error) {
    if (error instanceof InputError) {
      stderr += `dosim: ${error.message} [${error.code}]\n`;
      status = EXIT.invalidInput;
    } else if (error instanceof CommanderError) {
      status = error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    } else {
      throw error;
    }
  }
  return { status, stdout, stderr };
}

/** Runs `dosim plan <args>` in this process; stdout is the bytes the binary prints to a pipe. */
export function planInProcess(args: readonly string[]): Promise<CliRun> {
  return runInProcess("plan", registerPlan, args, async (io, flags: PlanFlags) => {
    const output = await planOutput(flags, {});
    io.out(output.text);
    return output.exitCode;
  });
}

/** Runs `dosim check <args>` in this process (relative paths against this process's folder, the repository). */
export function checkInProcess(args: readonly string[]): Promise<CliRun> {
  return runInProcess("check", registerCheck, args, (io, file: string, sources: string[], flags: CheckFlags) => checkCommand(file, sources, flags, io));
}
