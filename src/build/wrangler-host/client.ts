/**
 * dosim's side of one wrangler host process (host.ts): starts it, hands it one dry run at a time,
 * and collects each build's output and answer. The host never keeps dosim running: the process
 * and its pipes are unreferenced while no build runs, and it ends with dosim (its socket closes;
 * dosim also kills it on exit).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import type { Socket } from "node:net";
import { outputEnd, type HostReply, type HostRequest } from "./protocol.js";

/** How a build sent to the host ended. */
export type HostOutcome =
  | { readonly kind: "done"; readonly ok: boolean; readonly stdout: string; readonly stderr: string }
  /** The host ended during the build (`how`: its exit code or signal); what it printed until then. */
  | { readonly kind: "stopped"; readonly how: string; readonly stdout: string; readonly stderr: string }
  /** The installed wrangler cannot run in a host; nothing was built. */
  | { readonly kind: "unsupported"; readonly reason: string };

/** How to start a host. */
export interface HostLaunch {
  /** The compiled host.js. */
  readonly script: string;
  /** wrangler's cli.js, and the Node flags its launcher gives it. */
  readonly cli: string;
  readonly nodeFlags: readonly string[];
  /** The environment wrangler loads with. */
  readonly env: NodeJS.ProcessEnv;
  /** A folder of the host's own (its wrangler log), removed when the host ends. */
  readonly ownDir: string;
  /** A folder that outlives the host, to start it in (builds run in their own). */
  readonly cwd: string;
}

/** One output stream of the build running now, complete once its end mark came. */
class BuildOutput {
  private bytes = Buffer.alloc(0);
  ended = false;
  constructor(private readonly end: Buffer) {}

  add(chunk: Buffer): void {
    if (this.ended) return;
    const from = Math.max(0, this.bytes.length - this.end.length);
    this.bytes = Buffer.concat([this.bytes, chunk]);
    const at = this.bytes.indexOf(this.end, from);
    if (at < 0) return;
    this.bytes = this.bytes.subarray(0, at);
    this.ended = true;
  }

  text(): string {
    return this.bytes.toString("utf8");
  }
}

/** The build running now: its two streams, its answer once it came, and whom to tell. */
interface RunningBuild {
  readonly stdout: BuildOutput;
  readonly stderr: BuildOutput;
  ok?: boolean;
  readonly settle: (outcome: HostOutcome) => void;
}

/** A started host process, running at most one build at a time. */
export class WranglerHost {
  /** Builds this host has been given. */
  builds = 0;
  /** Whether the process has ended, or was let go: a stopped host runs no more builds. */
  stopped = false;
  private running: RunningBuild | undefined;
  private readonly child: ChildProcess;
  private readonly channel: Socket;
  private readonly endMark: Buffer;
  private readonly killOnExit = (): void => void this.child.kill();

  /** The host's process id. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  constructor(private readonly launch: HostLaunch) {
    const nonce = randomBytes(12).toString("hex");
    this.endMark = Buffer.from(outputEnd(nonce));
    this.child = spawn(process.execPath, [...launch.nodeFlags, launch.script, launch.cli, nonce, launch.ownDir], {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    this.channel = this.child.stdio[3] as Socket;
    // Output while no build runs belongs to none (there should be none).
    this.child.stdout!.on("data", (chunk: Buffer) => this.output(chunk, "stdout"));
    this.child.stderr!.on("data", (chunk: Buffer) => this.output(chunk, "stderr"));
    let lines = "";
    this.channel.setEncoding("utf8").on("data", (chunk: string) => {
      lines += chunk;
      for (let newline = lines.indexOf("\n"); newline >= 0; newline = lines.indexOf("\n")) {
        this.answered(JSON.parse(lines.slice(0, newline)) as HostReply);
        lines = lines.slice(newline + 1);
      }
    });
    // The host's end is reported once, by "close" (or "error" when it never started).
    this.channel.on("error", () => undefined);
    this.child.on("error", (error) => this.ended(`could not start: ${error.message}`));
    this.child.on("close", (code, signal) => this.ended(signal !== null ? `killed by ${signal}` : `exit code ${code}`));
    process.on("exit", this.killOnExit);
    this.idle();
  }

  /** Runs one build; call again only once it has settled. */
  run(request: HostRequest): Promise<HostOutcome> {
    if (this.stopped || this.running !== undefined) throw new Error("the wrangler host is not ready for a build");
    this.builds++;
    this.busy();
    return new Promise<HostOutcome>((settle) => {
      this.running = { stdout: new BuildOutput(this.endMark), stderr: new BuildOutput(this.endMark), settle };
      this.channel.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Lets the host go: it ends once it has read what it was sent (at once when idle). */
  stop(): void {
    this.stopped = true;
    this.channel.end();
  }

  private output(chunk: Buffer, stream: "stdout" | "stderr"): void {
    if (this.running === undefined) return;
    this.running[stream].add(chunk);
    this.settleIfComplete();
  }

  private answered(reply: HostReply): void {
    if (this.running === undefined) return;
    if (reply.kind === "unsupported") return this.finish({ kind: "unsupported", reason: reply.reason });
    this.running.ok = reply.ok;
    this.settleIfComplete();
  }

  /** A build is over once its answer and both its streams' end marks have come. */
  private settleIfComplete(): void {
    const build = this.running;
    if (build?.ok === undefined || !build.stdout.ended || !build.stderr.ended) return;
    this.finish({ kind: "done", ok: build.ok, stdout: build.stdout.text(), stderr: build.stderr.text() });
  }

  private ended(how: string): void {
    this.stopped = true;
    process.off("exit", this.killOnExit);
    rmSync(this.launch.ownDir, { recursive: true, force: true });
    const build = this.running;
    if (build !== undefined) this.finish({ kind: "stopped", how, stdout: build.stdout.text(), stderr: build.stderr.text() });
  }

  private finish(outcome: HostOutcome): void {
    const build = this.running!;
    this.running = undefined;
    this.idle();
    build.settle(outcome);
  }

  /** While a build runs, the host keeps dosim alive; otherwise it never does. */
  private busy(): void {
    this.child.ref();
    for (const stream of this.streams()) stream.ref();
  }

  private idle(): void {
    this.child.unref();
    for (const stream of this.streams()) stream.unref();
  }

  private streams(): Socket[] {
    return [this.child.stdout as Socket, this.child.stderr as Socket, this.channel];
  }
}
