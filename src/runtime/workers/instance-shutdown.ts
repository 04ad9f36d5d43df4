/**
 * The shutdown of a Durable Object instance, as src/model/shutdown.ts states it: the instance
 * stops serving new work and its storage refuses every operation with the reset error, while the
 * work it has in flight runs on; it ends (in-memory state gone, sockets dropped) once that work is
 * done or the grace period is over. workerd's own `ctx.abort()` would fail everything at once, so
 * the instance counts its work in flight and the storage API of this isolate is guarded.
 */
import { RESET_REASON } from "./protocol.js";

/** The error a stopped operation throws (the one workerd's reset gives, flag included). */
export function resetError(): Error {
  return Object.assign(new Error(RESET_REASON), { durableObjectReset: true });
}

/** The shutdown state of one instance. */
export interface Drain {
  /** Invocations running on the instance (requests, RPC calls, alarms, socket events). */
  inFlight: number;
  /** Set once the instance is shut down: it serves nothing new and its storage is stopped. */
  shuttingDown: boolean;
}

/** A new drain state for a new instance. */
export function newDrain(): Drain {
  return { inFlight: 0, shuttingDown: false };
}

/** Runs one invocation of an instance, counted as in flight until it settles. */
export function counted<T>(drain: Drain, run: () => T): T {
  drain.inFlight++;
  let result: T;
  try {
    result = run();
  } catch (error) {
    drain.inFlight--;
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => drain.inFlight--) as T;
  drain.inFlight--;
  return result;
}

/** Storage objects (the storage, its `sql` and `kv`) whose instance is shut down. */
const stopped = new WeakSet<object>();
const guarded = new WeakSet<object>();
/** Set while dosim itself uses a stopped storage (see {@link unguarded}). */
let bypass = false;

/**
 * Calls `use` with the guard lifted: dosim's own bookkeeping on a shut-down instance (handing its
 * due alarm over to the version that runs the object) is not the user's work in flight. The guard
 * is checked when a storage method is called, so a synchronous window is enough.
 */
export function unguarded<T>(use: () => T): T {
  bypass = true;
  try {
    return use();
  } finally {
    bypass = false;
  }
}

/** The storage API's parts; of these, only the storage's own methods answer with promises. */
function storageParts(storage: DurableObjectStorage): { part: object; asynchronous: boolean }[] {
  const parts: { part: object; asynchronous: boolean }[] = [{ part: storage, asynchronous: true }];
  for (const name of ["sql", "kv"]) {
    try {
      const part = (storage as unknown as Record<string, unknown>)[name];
      if (part !== null && typeof part === "object") parts.push({ part, asynchronous: false });
    } catch {
      // This workerd has no such part, or this namespace cannot use it: nothing to guard.
    }
  }
  return parts;
}

/** Methods of the storage itself that answer synchronously, and so throw rather than reject. */
const SYNCHRONOUS_STORAGE_METHODS = new Set(["transactionSync"]);

/**
 * Makes every method of the storage API in this isolate refuse to run for a stopped instance: a
 * promise-returning one rejects with the reset error, a synchronous one (`sql.exec`,
 * `transactionSync`, `kv.get`) throws it, as workerd's broken storage does. Guards each prototype
 * once; costs one set lookup per storage call.
 */
export function guardStorage(storage: DurableObjectStorage): void {
  for (const { part, asynchronous } of storageParts(storage)) {
    const prototype = Object.getPrototypeOf(part) as Record<string, unknown> | null;
    if (prototype === null || guarded.has(prototype)) continue;
    guarded.add(prototype);
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === "constructor" || descriptor === undefined || typeof descriptor.value !== "function") continue;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      const rejects = asynchronous && !SYNCHRONOUS_STORAGE_METHODS.has(name);
      Object.defineProperty(prototype, name, {
        ...descriptor,
        value: function (this: object, ...args: unknown[]) {
          if (!bypass && stopped.has(this)) {
            if (rejects) return Promise.reject(resetError());
            throw resetError();
          }
          return original.apply(this, args);
        },
      });
    }
  }
}

/** Stops an instance's storage: from now on every operation on it fails with the reset error. */
export function stopStorage(storage: DurableObjectStorage): void {
  for (const { part } of storageParts(storage)) stopped.add(part);
}
