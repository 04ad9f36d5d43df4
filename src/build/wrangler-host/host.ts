/**
 * The wrangler host: a process that loads wrangler's CLI once and then runs dosim's dry runs one
 * after another, each as wrangler's own launcher would run it (see client.ts for dosim's side).
 * Loading the CLI (12.7 MB of JavaScript) is most of the cost of a dry run in a new process.
 *
 * Started as `node <wrangler's node flags> host.js <cli.js> <nonce> <own folder>` with fd 3 a
 * socket to dosim, and the environment wrangler reads when it loads already set. Requests come in
 * on fd 3, one at a time; wrangler's output goes to this process's stdout and stderr, each build's
 * followed by an end mark (protocol.ts), then the reply on fd 3. The host ends when the socket
 * ends (dosim ended, or let this host go) and the build it runs is done, or on SIGINT or SIGTERM,
 * and removes its own folder (wrangler's log) when it does.
 */
import { rmSync } from "node:fs";
import { Socket } from "node:net";
import { runIsolated } from "./isolation.js";
import { loadWrangler, type LoadedWrangler } from "./load-wrangler.js";
import { outputEnd, type HostReply, type HostRequest } from "./protocol.js";

const [cliPath, nonce, ownDir] = process.argv.slice(2) as [string, string, string];
const END = outputEnd(nonce);

process.on("exit", () => rmSync(ownDir, { recursive: true, force: true }));
// A signal ends the host whatever listeners wrangler adds (its signal-exit re-raises a signal
// only when nothing else listens for it).
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

const channel = new Socket({ fd: 3, readable: true, writable: true, allowHalfOpen: true });
/** The builds asked for so far, in turn: the last settles when all are answered. */
let turn = Promise.resolve();
// dosim let this host go, or ended: the build running (if any) is answered first.
channel.on("end", () => void turn.finally(() => channel.end(() => process.exit(0))));
channel.on("error", () => process.exit(0));

function reply(message: HostReply): void {
  channel.write(`${JSON.stringify(message)}\n`);
}

let wrangler: LoadedWrangler | undefined;
let unsupported = "wrangler's CLI has no main function to call";
try {
  wrangler = loadWrangler(cliPath);
} catch (error) {
  unsupported = `wrangler's CLI did not load here: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs one request and answers it: output, end marks, then the reply. */
async function serve(loaded: LoadedWrangler, request: HostRequest): Promise<void> {
  loaded.forgetOnceWarnings();
  const ok = await runIsolated(loaded.main, cliPath, request).catch((error: unknown) => {
    process.stderr.write(`could not run wrangler: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  });
  // Output that wrangler's last callbacks write still belongs to this build, as it would in a
  // process of its own (which ends only once nothing is pending).
  await new Promise((resolve) => setImmediate(resolve));
  process.stdout.write(END);
  process.stderr.write(END);
  reply({ kind: "done", ok });
}

if (wrangler === undefined) {
  reply({ kind: "unsupported", reason: unsupported });
  channel.end(() => process.exit(0));
} else {
  const loaded = wrangler;
  let pending = "";
  channel.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
      const request = JSON.parse(pending.slice(0, newline)) as HostRequest;
      pending = pending.slice(newline + 1);
      turn = turn.then(() => serve(loaded, request));
    }
  });
}
