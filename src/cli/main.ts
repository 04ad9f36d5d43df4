#!/usr/bin/env node
/**
 * The `dosim` command line. Each command lives in its own file under ./commands; this file wires
 * them up and turns input errors into exit code 2 with a message that says what to do.
 */
import { Command, CommanderError } from "commander";
import { registerPlan } from "./commands/plan.js";
import { registerReplay } from "./commands/replay.js";
import { registerValidate } from "./commands/validate.js";
import { registerDev } from "./commands/dev.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerVersionsUpload } from "./commands/versions-upload.js";
import { registerVersionsDeploy } from "./commands/versions-deploy.js";
import { registerVersionsList } from "./commands/versions-list.js";
import { registerVersionsView } from "./commands/versions-view.js";
import { registerVersionsSecretPut } from "./commands/versions-secret-put.js";
import { registerDeploymentsList } from "./commands/deployments-list.js";
import { registerDeploymentsStatus } from "./commands/deployments-status.js";
import { registerRollback } from "./commands/rollback.js";
import { registerSecretPut } from "./commands/secret-put.js";
import { normalizeCodeUpdateArgs } from "./code-update-flag.js";
import { EXIT, InputError } from "./exit-codes.js";

const program = new Command("dosim")
  .description("Simulate Cloudflare Workers gradual deployments with Durable Objects, locally and deterministically.")
  .version("0.1.0")
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerPlan(program);
registerReplay(program);
registerValidate(program);
registerDev(program);
registerDeploy(program);
registerVersionsUpload(program);
registerVersionsDeploy(program);
registerVersionsList(program);
registerVersionsView(program);
registerVersionsSecretPut(program);
registerDeploymentsList(program);
registerDeploymentsStatus(program);
registerRollback(program);
registerSecretPut(program);

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
