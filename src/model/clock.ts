/**
 * A virtual clock: time moves only when the simulator moves it, so deferred code updates, waits
 * and timestamps are reproducible. Hosts may start it at any epoch.
 */

/**
 * The latest instant the virtual clock may reach: the last millisecond of year 9999, the end of
 * what a four-digit ISO 8601 timestamp (the form the platform's APIs print) can show. Far below
 * the largest JavaScript Date, so a deadline a bounded delay past it still prints.
 */
export const LATEST_VIRTUAL_TIME_MS = 253_402_300_799_999;

/** The latest virtual time, as the ISO 8601 text messages show. */
export const LATEST_VIRTUAL_TIME_TEXT = "9999-12-31T23:59:59.999Z";

/** The virtual clock. */
export class VirtualClock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  /** The current virtual time in milliseconds. */
  get nowMs(): number {
    return this.#nowMs;
  }

  /** Moves time forward by `deltaMs` (never backwards) and returns the new time. */
  advance(deltaMs: number): number {
    if (!Number.isFinite(deltaMs) || deltaMs < 0) throw new RangeError(`time only moves forward (got ${deltaMs} ms)`);
    this.#nowMs += deltaMs;
    return this.#nowMs;
  }

  /** Moves time forward to `targetMs` if it is later than now, and returns the current time. */
  advanceTo(targetMs: number): number {
    if (targetMs > this.#nowMs) this.#nowMs = targetMs;
    return this.#nowMs;
  }
}
