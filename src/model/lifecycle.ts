/**
 * When a Durable Object's instance ends on its own (docs "Lifecycle of a Durable Object"): once it
 * has had no request or event for a while, an instance that satisfies the hibernation criteria is
 * hibernated after 10 seconds; one that does not (a standard-API WebSocket, a pending timer, an
 * awaited fetch) stays in memory and is evicted after 70–140 seconds. Either way its in-memory
 * state is gone, and a deferred code update waiting for it lands.
 *
 * The eviction delay within 70–140 s is the runtime's choice; dosim derives it from the run's seed,
 * the object and the moment it went quiet, so a replay is reproducible.
 */
import { sha256 } from "./hash.js";

/** A hibernatable instance hibernates after this long without a request or event. */
export const HIBERNATE_AFTER_MS = 10_000;

/** A non-hibernatable instance is evicted after between this long… */
export const EVICT_AFTER_MIN_MS = 70_000;

/** …and this long without a request or event. */
export const EVICT_AFTER_MAX_MS = 140_000;

/**
 * Why an instance ended: it hibernated or was evicted for inactivity, a deployment reset it
 * (`immediate`, or `deferred` with `max_delay: 0`), or its deferred update's deadline passed.
 */
export type InstanceEndReason = "hibernated" | "evicted" | "code-update" | "deadline";

/** What the lifecycle needs to know of a live instance. */
export interface InstanceActivity {
  readonly objectId: string;
  /** When its last request or event reached it. */
  readonly lastActiveMs: number;
  /** False when it cannot hibernate (a standard-API WebSocket, a timer, an awaited fetch). */
  readonly hibernatable: boolean;
}

/**
 * The eviction delay of a non-hibernatable instance that went quiet at `sinceMs`: a whole number of
 * milliseconds in [70 s, 140 s], fixed by (seed, object, time).
 */
export function evictionDelayMs(seed: string, objectId: string, sinceMs: number): number {
  const digest = sha256(new TextEncoder().encode(`${seed}\u0000${objectId}\u0000${sinceMs}`));
  const word = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  const span = EVICT_AFTER_MAX_MS - EVICT_AFTER_MIN_MS + 1;
  return EVICT_AFTER_MIN_MS + (word % span);
}

/** When a quiet instance ends on its own, and why (hibernated or evicted). */
export function inactivityEnd(seed: string, activity: InstanceActivity): { atMs: number; reason: "hibernated" | "evicted" } {
  if (activity.hibernatable) return { atMs: activity.lastActiveMs + HIBERNATE_AFTER_MS, reason: "hibernated" };
  return { atMs: activity.lastActiveMs + evictionDelayMs(seed, activity.objectId, activity.lastActiveMs), reason: "evicted" };
}
