/**
 * What happens to the work an instance has in flight when it is shut down, for a code update or
 * otherwise (docs "Lifecycle of a Durable Object", Shutdown behavior): new requests go to a new
 * instance at once; an HTTP request already running may finish, for up to 30 seconds, unless it
 * touches the object's storage, which stops it at once with the reset error (the object's global
 * uniqueness must hold while the new instance serves); other invocations (alarms, RPC calls) are
 * treated like HTTP requests; WebSocket connections are terminated at once, so that the new
 * instance can take them over.
 *
 * workerd shows the mechanism: `Worker::Actor::shutdown()` breaks the actor's storage with the
 * shutdown error and lets the requests that hold the instance run on, whereas `abort()` fails them
 * all at once (src/workerd/io/worker.h, and ActorSqlite::shutdown / requireNotBroken in
 * actor-sqlite.c++).
 */

/** How long work in flight may go on after its instance is shut down. */
export const SHUTDOWN_GRACE_MS = 30_000;

/** The kinds of work an instance can have in flight. */
export type InFlightKind = "http" | "rpc" | "alarm" | "websocket";

/** What one piece of in-flight work did after the shutdown, as far as the rule cares. */
export interface InFlightWork {
  readonly kind: InFlightKind;
  /** How long after the shutdown it ended (undefined: it has not ended). */
  readonly endsAfterMs?: number;
  /** How long after the shutdown it first touched storage (undefined: it did not). */
  readonly storageAfterMs?: number;
}

/**
 * The fate of a piece of in-flight work: it finishes as written, is stopped with the reset error
 * at a moment after the shutdown (its first storage access, or the grace period's end), or, for a
 * WebSocket connection, is terminated at the shutdown itself.
 */
export type InFlightFate = { readonly outcome: "finishes" } | { readonly outcome: "stopped"; readonly afterMs: number; readonly why: "storage" | "grace" } | { readonly outcome: "terminated" };

/** Decides what the shutdown of its instance does to one piece of in-flight work. */
export function inFlightFate(work: InFlightWork): InFlightFate {
  if (work.kind === "websocket") return { outcome: "terminated" };
  const ends = work.endsAfterMs ?? Number.POSITIVE_INFINITY;
  const storage = work.storageAfterMs ?? Number.POSITIVE_INFINITY;
  if (storage < ends && storage < SHUTDOWN_GRACE_MS) return { outcome: "stopped", afterMs: storage, why: "storage" };
  if (ends <= SHUTDOWN_GRACE_MS) return { outcome: "finishes" };
  return { outcome: "stopped", afterMs: SHUTDOWN_GRACE_MS, why: "grace" };
}

/** When the grace period of an instance shut down at `shutdownAtMs` ends. */
export function graceEndsAtMs(shutdownAtMs: number): number {
  return shutdownAtMs + SHUTDOWN_GRACE_MS;
}
