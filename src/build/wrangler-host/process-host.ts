/**
 * The wrangler host of a process: started by its first build, reused by the builds after it, one
 * build at a time (a build in a host takes tens of milliseconds, so a queue costs little, and a
 * second host would cost a second load of wrangler). A host is replaced after a bounded number of
 * builds, as wrangler leaves listeners and caches behind in its process, and after it ended during
 * a build; an idle host ends after a while, to give its memory back.
 */
import { WranglerHost, type HostLaunch, type HostOutcome } from "./client.js";
import type { HostRequest } from "./protocol.js";

/** Builds one host runs before a new host takes over. */
const BUILDS_PER_HOST = 50;
/** How long a host waits for another build before it ends (a dev server may rebuild rarely). */
const IDLE_MS = 5 * 60_000;

/** Runs builds in turn in a host, started (with `launch`) when there is none. */
export class HostQueue {
  private host: WranglerHost | undefined;
  /** Why the installed wrangler cannot run in a host, once a host said so. */
  private unsupported: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly launch: (request: HostRequest) => HostLaunch) {}

  /** Runs `request` once the builds before it are done. */
  run(request: HostRequest): Promise<HostOutcome> {
    const turn = this.queue.then(() => this.runNow(request));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Lets the host go (it ends at once, or after the build it runs); the next build starts another. */
  stop(): void {
    clearTimeout(this.idleTimer);
    this.host?.stop();
    this.host = undefined;
  }

  /** The host that runs the builds now, if one runs: its process id and how many builds it was given. */
  current(): { readonly pid: number; readonly builds: number } | undefined {
    const host = this.host;
    return host === undefined || host.stopped ? undefined : { pid: host.pid, builds: host.builds };
  }

  private async runNow(request: HostRequest): Promise<HostOutcome> {
    if (this.unsupported !== undefined) return { kind: "unsupported", reason: this.unsupported };
    clearTimeout(this.idleTimer);
    const reused = this.host !== undefined && !this.host.stopped;
    let outcome = await this.runInHost(request);
    // A host that ended while idle (killed, out of memory) may not have been seen to end before
    // this build was sent to it: it said nothing of the build, which a new host runs instead.
    if (reused && outcome.kind === "stopped" && outcome.stdout === "" && outcome.stderr === "") outcome = await this.runInHost(request);
    return outcome;
  }

  /** Runs `request` in the current host, or in a new one when there is none; lets it go after. */
  private async runInHost(request: HostRequest): Promise<HostOutcome> {
    if (this.host === undefined || this.host.stopped) this.host = new WranglerHost(this.launch(request));
    const outcome = await this.host.run(request);
    if (outcome.kind === "unsupported") this.unsupported = outcome.reason;
    if (outcome.kind !== "done" || this.host.builds >= BUILDS_PER_HOST) this.stop();
    else this.idleTimer = setTimeout(() => this.stop(), IDLE_MS).unref();
    return outcome;
  }
}
