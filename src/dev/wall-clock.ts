/**
 * The dev server's virtual clock follows wall time: it is moved to now before every account change
 * and once a second, so version timestamps are real and deferred updates fall due in real time.
 * It stands still while the simulator restarts workerd: on the platform a deployment takes effect
 * in an instant, so the seconds a restart takes (many, on a loaded machine) must not count as an
 * object's idleness and hibernate it. The clock then lags wall time by the restarts' total. It keeps
 * ticking while an upload is built and checked: requests go on meanwhile, and were they stamped
 * with a clock held back, an object kept busy throughout would look idle once the clock caught up.
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
  /** Wall time spent standing still (see {@link standStill}), which the clock never catches up on. */
  #stoodMs = 0;

  constructor(options: { sim: Simulator; log: RequestLog; write: (line: string) => void; nowMs: number }) {
    this.#sim = options.sim;
    this.#log = options.log;
    this.#write = options.write;
    this.#nowMs = options.nowMs;
  }

  /** The move under way, if any: a tick during an upload may overlap a change's own sync. */
  #moving: Promise<void> | undefined;

  /** Moves the virtual clock to wall time; deferred updates that fall due happen now. */
  readonly sync = (): Promise<void> => {
    this.#moving ??= this.#move().finally(() => (this.#moving = undefined));
    return this.#moving;
  };

  async #move(): Promise<void> {
    const deltaMs = Date.now() - this.#stoodMs - this.#nowMs;
    if (deltaMs <= 0) return;
    const moved = await this.#sim.advance(deltaMs);
    this.#nowMs = moved.nowMs;
    if (moved.resets.length === 0) return;
    const { resets, names } = await this.#log.takeResets();
    for (const reset of resets) this.#write(formatResetLine(reset, names[reset.objectId]));
  }

  /** Runs `task` (a restart of workerd) with the clock standing still: its wall time never becomes virtual time. */
  async standStill<T>(task: () => Promise<T>): Promise<T> {
    const startedMs = Date.now();
    try {
      return await task();
    } finally {
      this.#stoodMs += Date.now() - startedMs;
    }
  }

  /** Syncs once a second, in turn with account changes (or during an upload); returns what stops it. */
  startTicking(gate: Gate): () => void {
    const ticker = setInterval(() => {
      gate.tick(this.sync).catch((error: unknown) => this.#write(`[dosim] clock: ${error instanceof Error ? error.message : String(error)}`));
    }, CLOCK_TICK_MS);
    return () => clearInterval(ticker);
  }
}
