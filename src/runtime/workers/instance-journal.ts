/**
 * The control plane's record of object instances starting, being refused and being stopped. It
 * runs for as long as `dosim dev` does, so it keeps counts of everything and only the newest
 * events (a window, oldest dropped first): memory stays flat under any amount of traffic.
 * Nothing the ledger or a report states comes from here; the events serve checks of the
 * one-live-instance rule over a recent stretch of a run.
 */
import type { InstanceCounts, InstanceEvent } from "./control-api.js";

/** How many events the window keeps: enough for any scenario's checks, small enough to snapshot. */
export const INSTANCE_EVENT_WINDOW = 2_000;

/** Counts of every instance event, and the newest ones in a bounded window. */
export class InstanceJournal {
  readonly #window: InstanceEvent[] = [];
  readonly #limit: number;
  #counts: InstanceCounts = { started: 0, refused: 0, stopped: 0, overlapping: 0 };

  constructor(limit: number = INSTANCE_EVENT_WINDOW) {
    this.#limit = limit;
  }

  /** Records an event (its `seq` is the number of events recorded before it). */
  record(event: Omit<InstanceEvent, "seq">): void {
    const counts = this.#counts;
    const seq = counts.started + counts.refused + counts.stopped;
    this.#counts = {
      started: counts.started + (event.kind === "start" ? 1 : 0),
      refused: counts.refused + (event.kind === "refused" ? 1 : 0),
      stopped: counts.stopped + (event.kind === "stop" ? 1 : 0),
      overlapping: counts.overlapping + (event.overlapsWith !== undefined ? 1 : 0),
    };
    this.#window.push({ seq, ...event });
    // Dropping in halves keeps the cost of a drop amortised O(1) per event.
    if (this.#window.length > this.#limit * 2) this.#window.splice(0, this.#window.length - this.#limit);
  }

  /** The newest events, at most the window's size, oldest first. */
  recent(): InstanceEvent[] {
    return this.#window.slice(-this.#limit);
  }

  /** How many events of each kind were recorded, all told. */
  counts(): InstanceCounts {
    return this.#counts;
  }
}
