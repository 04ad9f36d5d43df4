/**
 * Runs `socket` steps: the run's open WebSockets by name, each with the messages it received and
 * its close. A socket is opened through the simulator's edge like any request, so it reaches the
 * version and object a real client would. Waiting for a message or a close has an upper bound (a
 * wall-clock one: sockets live in workerd, outside the virtual clock); running past it fails the
 * expectation rather than hanging the run.
 */
import type { Simulator } from "../runtime/simulator.js";
import type { ExpectationLog } from "./expectations.js";
import type { SocketStep } from "./types.js";

/** How long a step waits for an expected message or close before it calls it missing. */
export const SOCKET_WAIT_MS = 10_000;

/** Miniflare's end of a socket a Worker answered with. */
interface WorkerSocket {
  accept(): void;
  send(message: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
}

/** One open (or closed) socket of the run. */
class RunSocket {
  readonly #messages: string[] = [];
  #read = 0;
  #closed: { code: number; reason: string } | undefined;
  #wake: (() => void) | undefined;
  #closing = false;

  constructor(readonly socket: WorkerSocket) {
    socket.addEventListener("message", (event) => {
      this.#messages.push(typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer));
      this.#wake?.();
    });
    socket.addEventListener("close", (event) => {
      this.#closed = { code: event.code, reason: event.reason };
      this.#wake?.();
    });
    socket.accept();
  }

  /** Closes it from the client (1000), unless it is closed already. */
  close(): void {
    if (this.#closed !== undefined || this.#closing) return;
    this.#closing = true;
    this.socket.close(1000, "");
  }

  /** The next message, or undefined once the socket closed (or the wait ran out) without one. */
  async next(): Promise<string | undefined> {
    await this.#until(() => this.#read < this.#messages.length || this.#closed !== undefined);
    return this.#read < this.#messages.length ? this.#messages[this.#read++] : undefined;
  }

  /** Its close, waiting for it (undefined: still open when the wait ran out). */
  async closed(wait: boolean): Promise<{ code: number; reason: string } | undefined> {
    if (wait) await this.#until(() => this.#closed !== undefined);
    return this.#closed;
  }

  async #until(done: () => boolean): Promise<void> {
    const deadline = Date.now() + SOCKET_WAIT_MS;
    while (!done() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/** The run's sockets by name. */
export class SocketRegistry {
  readonly #sockets = new Map<string, RunSocket>();

  /** Carries out one `socket` step and records its expectations. */
  async run(sim: Simulator, log: ExpectationLog, number: number, step: SocketStep): Promise<void> {
    if (step.open !== undefined) {
      const response = await sim.fetch(step.open.path, { headers: { ...step.open.headers, Upgrade: "websocket" } });
      const socket = (response as unknown as { webSocket?: WorkerSocket | null }).webSocket;
      log.add(number, `socket.${step.socket}.open`, 101, response.status, response.status === 101 && socket != null, `${step.open.path} answered ${response.status}, not a WebSocket (101).`);
      if (response.status !== 101 || socket == null) return void (await response.body?.cancel());
      this.#sockets.set(step.socket, new RunSocket(socket));
    }
    const open = this.#sockets.get(step.socket);
    if (open === undefined) return;
    for (const message of step.send) open.socket.send(message);
    await this.#expect(log, number, step, open);
    if (step.close) open.close();
  }

  async #expect(log: ExpectationLog, number: number, step: SocketStep, open: RunSocket): Promise<void> {
    const { messages, closed } = step.socketExpect;
    for (const [index, expected] of (messages ?? []).entries()) {
      const actual = await open.next();
      log.add(number, `socket.${step.socket}.messages[${index}]`, expected, actual ?? null, actual === expected, actual === undefined ? `No message came (expected "${expected}").` : `Received "${actual}", expected "${expected}".`);
    }
    if (closed === undefined) return;
    const actual = await open.closed(closed !== false);
    const wanted = typeof closed === "object" ? closed : undefined;
    const passed = closed === false ? actual === undefined : actual !== undefined && (wanted === undefined || (actual.code === wanted.code && (wanted.reason === undefined || actual.reason === wanted.reason)));
    const shown = actual === undefined ? "open" : { code: actual.code, reason: actual.reason };
    log.add(number, `socket.${step.socket}.closed`, closed, shown, passed, actual === undefined ? "The socket is still open." : `The socket closed with ${actual.code} "${actual.reason}".`);
  }

  /** Closes every socket still open (at the end of the run). */
  closeAll(): void {
    for (const open of this.#sockets.values()) open.close();
    this.#sockets.clear();
  }
}

/** The step's line in reports. */
export function socketSummary(step: SocketStep): string {
  const parts = [`socket ${step.socket}`];
  if (step.open !== undefined) parts.push(`open ${step.open.path}`);
  if (step.send.length > 0) parts.push(`send ×${step.send.length}`);
  if (step.close) parts.push("close");
  return parts.join(", ");
}
