#!/usr/bin/env node
/**
 * The `dosim` command line. Each command lives in its own file under ./commands; this file wires
 * them up and turns input errors into exit code 2 with a message that says what to do.
 */
import { Command, CommanderError } from "commander";
import { normalizeCodeUpdateArgs } from "./code-update-flag.js";
import { EXIT, InputError } from "./exit-codes.js";

type Register = (program: Command) => void;

/**
 * Each top-level command and how to load its registration, in the order help lists them. Only the
 * command being run is imported: some pull in Miniflare, wrangler or the scenario schema, which
 * take a second or more to load, and `dosim plan` or `dosim validate` should not wait for them.
 */
const COMMANDS: readonly (readonly [string, () => Promise<Register>])[] = [
  ["plan", async () => (await import("./commands/plan.js")).registerPlan],
  ["replay", async () => (await import("./commands/replay.js")).registerReplay],
  ["check", async () => (await import("./commands/check.js")).registerCheck],
  ["merge-reports", async () => (await import("./commands/merge-reports.js")).registerMergeReports],
  ["fuzz", async () => (await import("./commands/fuzz.js")).registerFuzz],
  ["validate", async () => (await import("./commands/validate.js")).registerValidate],
  ["dev", async () => (await import("./commands/dev.js")).registerDev],
  ["deploy", async () => (await import("./commands/deploy.js")).registerDeploy],
  ["versions", async () => (await import("./commands/versions-upload.js")).registerVersionsUpload],
  ["versions", async () => (await import("./commands/versions-deploy.js")).registerVersionsDeploy],
  ["versions", async () => (await import("./commands/versions-list.js")).registerVersionsList],
  ["versions", async () => (await import("./commands/versions-view.js")).registerVersionsView],
  ["versions", async () => (await import("./commands/versions-secret-put.js")).registerVersionsSecretPut],
  ["versions", async () => (await import("./commands/versions-secret-delete.js")).registerVersionsSecretDelete],
  ["versions", async () => (await import("./commands/versions-secret-list.js")).registerVersionsSecretList],
  ["versions", async () => (await import("./commands/versions-secret-bulk.js")).registerVersionsSecretBulk],
  ["deployments", async () => (await import("./commands/deployments-list.js")).registerDeploymentsList],
  ["deployments", async () => (await import("./commands/deployments-status.js")).registerDeploymentsStatus],
  ["rollback", async () => (await import("./commands/rollback.js")).registerRollback],
  ["secret", async () => (await import("./commands/secret-put.js")).registerSecretPut],
  ["secret", async () => (await import("./commands/secret-delete.js")).registerSecretDelete],
  ["secret", async () => (await import("./commands/secret-list.js")).registerSecretList],
  ["secret", async () => (await import("./commands/secret-bulk.js")).registerSecretBulk],
];

/** The command named on the command line (its first word that is not an option), if any. */
function commandName(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((word) => !word.startsWith("-"));
}

/**
 * Ctrl-C and SIGTERM end any command at once, with the shell's codes (130, 143). Registered first
 * so it runs before the listeners of the libraries loaded later: importing wrangler adds handlers
 * that end the process with exit code 0, which would let an interrupted replay pass a CI job.
 * process.exit still runs the exit listeners, so Miniflare stops workerd and removes its temporary
 * files, and a run's scratch storage is removed too.
 */
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

const program = new Command("dosim")
  .description("Simulate Cloudflare Workers gradual deployments with Durable Objects, locally and deterministically.")
  .version("0.1.0")
  // Options after a command's name are that command's: `dosim fuzz --version B=b.ts` names a
  // version to fuzz, while `dosim --version` still prints dosim's.
  .enablePositionalOptions()
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

// Help, an unknown command or none at all: every command is registered, so help lists them all.
const named = commandName(process.argv);
const needed = COMMANDS.some(([name]) => name === named) ? COMMANDS.filter(([name]) => name === named) : COMMANDS;
for (const register of await Promise.all(needed.map(([, load]) => load()))) register(program);

try {
  await program.parseAsync(normalizeCodeUpdateArgs(process.argv));
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`dosim: ${error.message} [${error.code}]\n`);
    process.exitCode = EXIT.invalidInput;
  } else if (error instanceof CommanderError) {
    // Help and version requests end here too, with exit code 0.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
  } else {
    throw error;
  }
}
