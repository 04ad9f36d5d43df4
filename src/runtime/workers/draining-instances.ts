/**
 * The instances the control plane shut down while they had work in flight (instance-shutdown.ts),
 * until they end: each may run on until its grace period is over on the virtual clock
 * (src/model/shutdown.ts). The control plane ends them when their work is done, when the grace
 * period passes, or before their version serves the object again (workerd has one instance per
 * object and version, so a new one cannot start beside a draining one).
 */
import { graceEndsAtMs } from "../../model/shutdown.js";

/** One draining instance. */
export interface DrainingInstance {
  readonly objectId: string;
  readonly versionId: string;
  readonly className: string;
  /** When its grace period ends, on the virtual clock. */
  readonly graceEndsMs: number;
}

/** The draining instances, by object and version. */
export class DrainingInstances {
  readonly #entries = new Map<string, DrainingInstance>();
  readonly #settling = new Map<string, Promise<void>>();

  /** Notes an instance shut down at `nowMs` with work in flight. */
  add(instance: Omit<DrainingInstance, "graceEndsMs">, nowMs: number): void {
    this.#entries.set(key(instance.objectId, instance.versionId), { ...instance, graceEndsMs: graceEndsAtMs(nowMs) });
  }

  /** The draining instance of an object on a version, if any. */
  get(objectId: string, versionId: string): DrainingInstance | undefined {
    return this.#entries.size === 0 ? undefined : this.#entries.get(key(objectId, versionId));
  }

  /**
   * Runs `end` for a draining instance, one call at a time (concurrent callers share it), and
   * forgets the instance once `end` says it ended.
   */
  settle(instance: DrainingInstance, end: () => Promise<boolean>): Promise<void> {
    const k = key(instance.objectId, instance.versionId);
    const running = this.#settling.get(k);
    if (running !== undefined) return running;
    const done = end()
      .then((ended) => {
        if (ended && this.#entries.get(k) === instance) this.#entries.delete(k);
      })
      .finally(() => this.#settling.delete(k));
    this.#settling.set(k, done);
    return done;
  }

  /** Every draining instance. */
  all(): DrainingInstance[] {
    return [...this.#entries.values()];
  }
}

function key(objectId: string, versionId: string): string {
  return `${objectId}\u0000${versionId}`;
}
