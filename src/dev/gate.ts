/**
 * A readers–writer gate for the dev server: user requests and deployments pass together (a
 * deployment may reset an object under a request in flight, as on the platform), while a restart
 * of workerd (uploads, full deploys, secrets) waits for the requests in flight and holds new ones
 * until the new version is loaded. Account changes also queue behind each other.
 */

interface Waiter {
  readonly exclusive: boolean;
  readonly resolve: () => void;
}

/** The gate. */
export class Gate {
  #shared = 0;
  #exclusive = false;
  readonly #queue: Waiter[] = [];
  #changes: Promise<unknown> = Promise.resolve();
  /** True while the change running now lets the clock tick meanwhile (see {@link tick}). */
  #ticksMeanwhile = false;

  /** Runs `task` alongside other shared tasks, never during an exclusive one. */
  shared<T>(task: () => Promise<T>): Promise<T> {
    return this.#run(false, task);
  }

  /** Runs `task` alone. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#run(true, task);
  }

  /**
   * Runs account changes one at a time, each through the gate (exclusive when it restarts workerd;
   * a function is asked when the change's turn comes, after the changes queued before it).
   */
  change<T>(restarts: boolean | (() => boolean), task: () => Promise<T>, options: { ticksMeanwhile?: boolean } = {}): Promise<T> {
    const run = this.#changes.then(() =>
      this.#run(typeof restarts === "function" ? restarts() : restarts, async () => {
        this.#ticksMeanwhile = options.ticksMeanwhile === true;
        try {
          return await task();
        } finally {
          this.#ticksMeanwhile = false;
        }
      }),
    );
    this.#changes = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs a tick of the clock: in turn with account changes, or at once, alongside traffic, while
   * the change running now lets it (an upload, whose seconds of building are seconds of wall time
   * for the objects that keep getting requests meanwhile).
   */
  tick<T>(task: () => Promise<T>): Promise<T> {
    return this.#ticksMeanwhile ? this.shared(task) : this.change(false, task);
  }

  async #run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    await this.#acquire(exclusive);
    try {
      return await task();
    } finally {
      this.#release(exclusive);
    }
  }

  #free(exclusive: boolean): boolean {
    return exclusive ? this.#shared === 0 && !this.#exclusive : !this.#exclusive;
  }

  #grant(exclusive: boolean): void {
    if (exclusive) this.#exclusive = true;
    else this.#shared++;
  }

  #acquire(exclusive: boolean): Promise<void> {
    // Queue behind a waiting exclusive task, so a stream of requests cannot starve a restart.
    if (this.#queue.length === 0 && this.#free(exclusive)) {
      this.#grant(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push({ exclusive, resolve }));
  }

  #release(exclusive: boolean): void {
    if (exclusive) this.#exclusive = false;
    else this.#shared--;
    while (this.#queue.length > 0 && this.#free(this.#queue[0]!.exclusive)) {
      const next = this.#queue.shift()!;
      this.#grant(next.exclusive);
      next.resolve();
    }
  }
}
