/**
 * The dev server's virtual clock follows wall time: it is moved to now before every account change
 * and once a second, so version timestamps are real and deferred updates fall due in real time.
 */
import type { Simulator } from "../runtime/simulator.js";
import type { Gate } from "./gate.js";
import { formatResetLine, type RequestLog } from "./request-log.js";

const CLOCK_TICK_MS = 1_000;

/** Moves a simulator's virtual clock to wall time, and logs the resets that fall due. */
export class WallClock {
  readonly #sim: Simulator;
  readonly #log: RequestLog;
  readonly #write: (line: string) => void;
  /** Where the virtual clock stands, as of its last move. */
  #nowMs: number;

  constructor(options: { sim: Simulator; log: RequestLog; write: (line: string) => void; nowMs: number }) {
    this.#sim = options.sim;
    this.#log = options.log;
    this.#write = options.write;
    this.#nowMs = options.nowMs;
  }

  /** Moves the virtual clock to wall time; deferred updates that fall due happen now. */
  readonly sync = async (): Promise<void> => {
    const deltaMs = Date.now() - this.#nowMs;
    if (deltaMs <= 0) return;
    const moved = await this.#sim.advance(deltaMs);
    this.#nowMs = moved.nowMs;
    if (moved.resets.length === 0) return;
    const { resets, names } = await this.#log.takeResets();
    for (const reset of resets) this.#write(formatResetLine(reset, names[reset.objectId]));
  };

  /** Syncs once a second, in turn with account changes; returns what stops it. */
  startTicking(gate: Gate): () => void {
    const ticker = setInterval(() => {
      gate.change(false, this.sync).catch((error: unknown) => this.#write(`[dosim] clock: ${error instanceof Error ? error.message : String(error)}`));
    }, CLOCK_TICK_MS);
    return () => clearInterval(ticker);
  }
}
