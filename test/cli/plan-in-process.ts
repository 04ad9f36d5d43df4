/**
 * `dosim plan <args>` run in this process, for tests about the report rather than the binary: the
 * command's own options (registerPlan) parse the arguments, and planOutput makes what it prints.
 * The binary adds node's start-up (most of a plan's cost) and main.ts's mapping of errors to exit
 * code 2 with `dosim: <message> [<code>]` on stderr, mirrored here; plan.test.ts checks both
 * through the built binary.
 */
import { Command, CommanderError } from "commander";
import { normalizeCodeUpdateArgs } from "../../src/cli/code-update-flag.js";
import { planOutput, registerPlan, type PlanFlags } from "../../src/cli/commands/plan.js";
import { EXIT, InputError } from "../../src/cli/exit-codes.js";
import type { CliRun } from "../helpers/run-cli.js";

/** Runs `dosim plan <args>` in this process; stdout is the bytes the binary prints to a pipe. */
export async function planInProcess(args: readonly string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let status: number = EXIT.ok;
  const program = new Command("dosim")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  registerPlan(program);
  // The command's action, writing into this run instead of the process's streams.
  program.commands[0]!.action(async (flags: PlanFlags) => {
    const output = await planOutput(flags, {});
    stdout += output.text;
    status = output.exitCode;
  });
  try {
    await program.parseAsync(normalizeCodeUpdateArgs(["node", "dosim", "plan", ...args]));
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
