/**
 * Results that several test files need and that are expensive to make, made once per `vitest run`:
 * the first file that asks makes it, every other one (in any worker) waits for it. The results
 * live in the run's shared folder (test/setup/scratch.ts), so a file run on its own makes its own.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, watch, writeFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";

/** What a shared result's maker recorded. */
export interface SharedRun<T> {
  /** The folder the result's files are in. */
  readonly dir: string;
  readonly value: T;
}

const pending = new Map<string, Promise<SharedRun<unknown>>>();

/** Resolves once `file` exists: woken by the folder's change events, never by a timer. */
function whenWritten(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(path.dirname(file));
    const check = (): void => {
      if (!existsSync(file)) return;
      watcher.close();
      resolve();
    };
    watcher.on("change", check);
    watcher.on("error", reject);
    check();
  });
}

/** What the maker leaves for the others: its value, or why it has none. */
type Recorded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * The result named `name`: made by `make(dir)` in a folder of its own if no test file of this run
 * made it yet, else read from what that file recorded (a maker that threw fails the others too).
 */
export function sharedRun<T>(name: string, make: (dir: string) => Promise<T>): Promise<SharedRun<T>> {
  const root = inject("suiteScratch");
  const dir = path.join(root, name);
  // Keyed by folder: a worker kept between watch-mode reruns gets a new folder for each.
  const known = pending.get(dir);
  if (known !== undefined) return known as Promise<SharedRun<T>>;
  const done = path.join(root, `${name}.json`);
  const run = (async (): Promise<SharedRun<T>> => {
    // mkdir is atomic: exactly one file of the run makes the folder, and with it the result.
    let maker = true;
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      maker = false;
    }
    if (maker) {
      const record = (recorded: Recorded<T>): void => {
        // Written aside and renamed, so a waiting file never reads half of it.
        writeFileSync(`${done}.tmp`, JSON.stringify(recorded));
        renameSync(`${done}.tmp`, done);
      };
      try {
        const value = await make(dir);
        record({ ok: true, value });
        return { dir, value };
      } catch (error) {
        record({ ok: false, error: String(error) });
        throw error;
      }
    }
    await whenWritten(done);
    const recorded = JSON.parse(readFileSync(done, "utf8")) as Recorded<T>;
    if (!recorded.ok) throw new Error(`the test file that made "${name}" failed: ${recorded.error}`);
    return { dir, value: recorded.value };
  })();
  pending.set(dir, run);
  return run;
}
