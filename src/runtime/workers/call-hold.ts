/**
 * Holding Durable Object calls in flight, for a traffic step's `hold`, on any Worker: while a held
 * batch of bulk requests runs in a version's isolate, every call that isolate's routing bindings
 * make to an object waits, after the object's version was chosen and before the call reaches it.
 * An operation made meanwhile that moves the object catches those calls in flight: they reach the
 * version the object no longer runs and fail with the reset error, as on the platform. The hold is
 * dosim's: the Worker's code is not asked to wait. The batch runner (bulk-batch.ts) and the routing
 * binding (do-router.worker.ts) are bundled apart, so they meet on a global of the isolate.
 */

interface HoldState {
  /** How long a call waits now (0: no hold). */
  holdMs: number;
  /** Held batches running in this isolate. */
  running: number;
}

const KEY = "__dosimCallHold";

function holdState(): HoldState {
  const global = globalThis as unknown as Record<string, HoldState | undefined>;
  return (global[KEY] ??= { holdMs: 0, running: 0 });
}

/** Runs `work` with the object calls this isolate makes meanwhile held `holdMs` each (no hold when undefined). */
export async function holdingCalls<T>(holdMs: number | undefined, work: () => Promise<T>): Promise<T> {
  if (holdMs === undefined || holdMs <= 0) return work();
  const state = holdState();
  state.running++;
  state.holdMs = holdMs;
  try {
    return await work();
  } finally {
    if (--state.running === 0) state.holdMs = 0;
  }
}

/** Waits out the hold in force, if any (the routing binding calls it once an object's version is chosen). */
export async function waitForHold(): Promise<void> {
  const { holdMs } = holdState();
  if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
}
