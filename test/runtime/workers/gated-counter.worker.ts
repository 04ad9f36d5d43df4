/**
 * The example Worker with a gate, for tests that need requests in flight inside an object when a
 * deployment resets it, by construction rather than by timing:
 *
 *   POST /objects/foo?hold          → held inside the Counter "foo" until its instance is shut down
 *   POST /objects/foo?hold=read     → held until released, then answers without touching storage
 *   POST /objects/foo?hold=count    → held until released, then counts (a storage write) and answers
 *   POST /objects/foo?hold=forever  → never answers on its own and never touches storage
 *   GET  /objects/foo?held=4        → answers once 4 requests are held in foo's current instance
 *   GET  /release                   → releases the held requests of this version's isolate
 *
 * A held request never counts; everything else is the example Worker's own code. A held request
 * reads the object's storage again and again: a shut-down instance lets its requests in flight run
 * on but stops each at its next storage access (src/model/shutdown.ts), so the first read after
 * the shutdown ends it with the reset error. `/release` is a request to the Worker, not to the
 * object: sent with a version override, it reaches the isolate of the version the held requests
 * run on even after the object moved away.
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

/** Set by `/release`; the requests held until released poll it. */
let released = false;

async function untilReleased(): Promise<void> {
  while (!released) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The example's Counter, plus requests held until a reset and a gate that opens when enough are held. */
export class Counter extends ExampleCounter {
  #held = 0;
  readonly #waiters: { readonly count: number; readonly open: () => void }[] = [];

  override async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams;
    const hold = query.get("hold");
    if (hold !== null) {
      this.#held++;
      for (const waiter of this.#waiters.filter((entry) => entry.count <= this.#held)) waiter.open();
      if (hold === "forever") await whenReady(new Promise<void>(() => undefined), "a request held forever");
      if (hold === "read" || hold === "count") await untilReleased();
      if (hold === "read") return Response.json({ finished: true, version: { tag: this.env.CF_VERSION_METADATA.tag } });
      if (hold === "count") return super.fetch(request);
      // Nothing releases a held request: only the shutdown of this instance ends it.
      await whenReady(this.#readUntilStopped(), "a held request");
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

  /** Reads storage every few milliseconds; rejects once a read fails (the instance was shut down). */
  async #readUntilStopped(): Promise<never> {
    for (;;) {
      this.ctx.storage.sql.exec("SELECT 1");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

export default {
  async fetch(request: Request, env: never): Promise<Response> {
    if (new URL(request.url).pathname !== "/release") return example.fetch(request, env);
    released = true;
    return new Response("released");
  },
};
