/**
 * Holding Durable Object calls in flight, for a traffic step's `hold`, on any Worker: while a held
 * batch of bulk requests runs in a version's isolate, every call that isolate's routing bindings
 * make to an object waits. A `fetch` waits inside the object, once it has reached its instance and
 * before the Worker's code runs, so it is in flight there: an operation made meanwhile that resets
 * the object shuts that instance down under it (src/model/shutdown.ts). An RPC call, which carries
 * no headers, waits in the routing binding, after the object's version was chosen and before the
 * call reaches it. The hold is dosim's: the Worker's code is not asked to wait. The batch runner
 * (bulk-batch.ts) and the routing binding (do-router.worker.ts) are bundled apart, so they meet on
 * a global of the isolate.
 */

/** The header that carries a hold from the routing binding into the object; user code never sees it. */
export const HOLD_HEADER = "x-dosim-hold-ms";

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
  await sleep(holdState().holdMs);
}

/** The arguments of an object's `fetch`, as one request marked with the hold in force, if any. */
export function withHold(args: unknown[]): unknown[] {
  const { holdMs } = holdState();
  if (holdMs <= 0) return args;
  const held = new Request(args[0] as Request | string | URL, args[1] as RequestInit | undefined);
  held.headers.set(HOLD_HEADER, String(holdMs));
  return [held];
}

/** Inside the object: waits out the hold a request carries, and gives it back without the mark. */
export async function heldInObject(request: Request): Promise<Request> {
  const holdMs = Number(request.headers.get(HOLD_HEADER) ?? 0);
  if (!(holdMs > 0)) return request;
  await sleep(holdMs);
  const clean = new Request(request);
  clean.headers.delete(HOLD_HEADER);
  return clean;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
