/**
 * The example Worker with a gate, for tests that need requests in flight inside an object when a
 * deployment resets it, by construction rather than by timing:
 *
 *   POST /objects/foo?hold   → held inside the Counter "foo" until its instance is reset
 *   GET  /objects/foo?held=4 → answers once 4 requests are held in foo's current instance
 *
 * A held request never counts; everything else is the example Worker's own code.
 */
import example, { Counter as ExampleCounter } from "../../../src/example/worker.js";

/** The longest timer workerd takes; a pending timer keeps a waiting request from looking hung. */
const LONGEST_TIMER_MS = 2_147_483_647;

/** Resolves when `ready` does, or fails after the longest timer (only if a test never opened its gate). */
async function whenReady(ready: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} was never released`)), LONGEST_TIMER_MS)));
  try {
    await Promise.race([ready, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The example's Counter, plus requests held until a reset and a gate that opens when enough are held. */
export class Counter extends ExampleCounter {
  #held = 0;
  readonly #waiters: { readonly count: number; readonly open: () => void }[] = [];

  override async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams;
    if (query.has("hold")) {
      this.#held++;
      for (const waiter of this.#waiters.filter((entry) => entry.count <= this.#held)) waiter.open();
      // Nothing releases a held request: only the reset of this instance ends it.
      await whenReady(new Promise<void>(() => undefined), "a held request");
      return new Response("unreachable", { status: 500 });
    }
    const wanted = query.get("held");
    if (wanted !== null) {
      const count = Number(wanted);
      if (this.#held < count) await whenReady(new Promise<void>((open) => this.#waiters.push({ count, open })), "a gate");
      return Response.json({ held: this.#held });
    }
    return super.fetch(request);
  }
}

export default example;
