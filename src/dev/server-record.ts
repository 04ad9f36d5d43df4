/**
 * The running server's record in the state directory (its URL, API token and workerd processes),
 * kept current as uploads restart workerd, and removed when the server stops or the process exits.
 */
import type { Simulator } from "../runtime/simulator.js";
import { removeServerRecord, workerdChildren, writeServerRecord, type ServerRecord } from "./state-dir.js";

/** Publishes, refreshes and removes the server record of one state directory. */
export class ServerRecordKeeper {
  readonly #sim: Simulator;
  readonly #stateDir: string;
  readonly #write: (line: string) => void;
  #record: ServerRecord | undefined;
  /** Simulator events already logged. */
  #eventsSeen: number;
  readonly #forget = (): void => removeServerRecord(this.#stateDir);

  constructor(options: { sim: Simulator; stateDir: string; write: (line: string) => void }) {
    this.#sim = options.sim;
    this.#stateDir = options.stateDir;
    this.#write = options.write;
    this.#eventsSeen = options.sim.events.length;
  }

  /** The record as published last. */
  get record(): ServerRecord {
    if (this.#record === undefined) throw new Error("the server record is not published yet");
    return this.#record;
  }

  /** Writes the record once the server listens, and removes it when the process exits. */
  publish(record: ServerRecord): void {
    this.#record = record;
    writeServerRecord(this.#stateDir, record);
    // Miniflare ends the process on SIGINT and SIGTERM (stopping workerd first); the record goes with it.
    process.once("exit", this.#forget);
  }

  /** After a restart of workerd: records the new workerd processes and logs the restarts. */
  refresh(): void {
    this.#record = { ...this.record, childPids: workerdChildren() };
    writeServerRecord(this.#stateDir, this.#record);
    for (const event of this.#sim.events.slice(this.#eventsSeen)) {
      this.#write(`[dosim] workerd restarted (${event.reason}); ${event.instancesLost} live instance(s) ended — a simulator restart, not a platform reset`);
    }
    this.#eventsSeen = this.#sim.events.length;
  }

  /** Removes the record, at a clean stop. */
  remove(): void {
    removeServerRecord(this.#stateDir);
    process.off("exit", this.#forget);
  }
}
