/**
 * `dosim dev`: serves the Worker's current deployment on a loopback address, logs one line per
 * request, and answers the account verbs (`dosim versions …`, `deploy`, `rollback`, `secret put`)
 * until it is stopped (Ctrl-C). Its state lives in `--persist-to` and survives restarts.
 */
import type { Command } from "commander";
import path from "node:path";
import { resolveWranglerConfig } from "../../build/find-config.js";
import { InputError } from "../exit-codes.js";
import { withConfigFlags, type ConfigFlags } from "../verb.js";

interface DevFlags extends ConfigFlags {
  readonly ip: string;
  readonly port: string;
  readonly persistTo: string;
  readonly seed?: string;
  readonly spareSlots?: string;
}

/** Registers `dev`. */
export function registerDev(program: Command): void {
  withConfigFlags(program.command("dev").description("Serve the Worker's current deployment locally, with the account API the verbs use"))
    .option("--ip <address>", "the address to listen on (loopback by default)", "127.0.0.1")
    .option("--port <port>", "the port to listen on (0 picks a free one)", "8787")
    .option("--persist-to <dir>", "the state directory (versions, deployments, ledger, storage, traces)", ".dosim")
    .option("--seed <seed>", "the seed of a new state directory (default: random, then kept)")
    .option("--spare-slots <count>", "workers kept free to load uploaded versions without restarting workerd (default 4; 0: restart at every load)")
    .action(async (flags: DevFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InputError("invalid-input", `--port must be a port number from 0 to 65535 (got ${flags.port}).`);
      const spareSlots = flags.spareSlots === undefined ? undefined : Number(flags.spareSlots);
      if (spareSlots !== undefined && (!Number.isInteger(spareSlots) || spareSlots < 0 || spareSlots > 64)) {
        throw new InputError("invalid-input", `--spare-slots must be a whole number from 0 to 64 (got ${flags.spareSlots}).`);
      }
      const config = resolveWranglerConfig(flags.config);
      // Loaded here so the other verbs do not pay for Miniflare and wrangler at start-up.
      const { checkListenAddress } = await import("../../dev/state-check.js");
      checkListenAddress(flags.ip);
      const { startDevServer } = await import("../../dev/server.js");
      const { StateDirLockedError } = await import("../../dev/state-lock.js");
      let server;
      try {
        server = await startDevServer({
          config,
          ...(flags.env !== undefined && { env: flags.env }),
          ip: flags.ip,
          port,
          persistTo: flags.persistTo,
          ...(flags.seed !== undefined && { seed: flags.seed }),
          ...(spareSlots !== undefined && { spareSlots }),
        });
      } catch (error) {
        // Typed input errors (a damaged or unusable state directory, a busy port, a version that
        // cannot start) end in main.ts: one line, exit code 2. So do a locked state directory and
        // a config the reader refuses.
        if (error instanceof StateDirLockedError) throw new InputError(error.code, error.message);
        if (error instanceof InputError || !(error instanceof Error && /wrangler|config|main/i.test(error.message))) throw error;
        throw new InputError("invalid-config", `${error.message.split("\n")[0]} (${config})`);
      }
      const shown = path.relative(process.cwd(), server.stateDir) || ".";
      process.stdout.write(`dosim dev: ${server.record.workerName} with its state in ${shown}\n`);
      process.stdout.write(`Ready on ${server.url}\n`);
      process.stdout.write(`Account API for the verbs: ${server.apiUrl} (dosim versions upload|deploy|list, deploy, rollback, secret put)\n`);
      // The token opens the dashboard once and is then swapped for a session cookie.
      process.stdout.write(`Dashboard: ${server.apiUrl}/?token=${server.record.token}\n`);
      // Ctrl-C or SIGTERM: Miniflare's own handler stops workerd and ends the process, and the
      // server's exit hook removes its record; the state directory keeps everything else.
      process.once("exit", () => process.stdout.write("dosim dev: stopped\n"));
      await new Promise<never>(() => undefined);
    });
}
