/**
 * The worker threads of `dosim plan`, started before the names are known: a thread takes about as
 * long to start (a new V8 isolate, Node's bootstrap, the model's modules) as hundreds of thousands
 * of names take to hash, so the command starts them first and they load while this thread reads
 * the flags, the config and the names file. A started thread waits for its task (see
 * plan-thread.ts); one that is never given a task is stopped.
 */
import { Worker } from "node:worker_threads";
import type { ChunkDone, PlanTask } from "./plan-chunks.js";

/** Worker threads started ahead of their task. */
export interface PlanWorkers {
  /**
   * Gives a waiting thread `task`; settles when the thread has posted its last chunk (each chunk's
   * summary goes to `collect`). Starts a thread when none is waiting.
   */
  run(task: PlanTask, collect: (finished: ChunkDone) => void): Promise<void>;
  /** Stops every thread still waiting for a task (call when the command is done or failed). */
  stop(): void;
}

/** Starts `count` worker threads that load the chunk loop and wait for a task. */
export function startPlanWorkers(count: number): PlanWorkers {
  const waiting = Array.from({ length: Math.max(0, count) }, spawn);
  return {
    run: (task, collect) => runTask(waiting.shift() ?? spawn(), task, collect),
    stop: () => {
      for (const started of waiting.splice(0)) void started.worker.terminate();
    },
  };
}

/** A started thread, and how it ended if it ended before it was given a task. */
interface Started {
  readonly worker: Worker;
  ended?: Error;
}

function spawn(): Started {
  const started: Started = { worker: new Worker(new URL("./plan-thread.js", import.meta.url)) };
  // Kept for runTask: a thread that fails to start fails the task it is given, not the process.
  started.worker.once("error", (error) => (started.ended ??= error));
  started.worker.once("exit", (code) => (started.ended ??= stoppedEarly(code)));
  // A waiting thread must not keep the process alive: the command may fail before it has a task.
  started.worker.unref();
  return started;
}

/** Hands `task` to a started thread and settles when it has posted its last chunk (it then ends on its own). */
function runTask({ worker, ended }: Started, task: PlanTask, collect: (finished: ChunkDone) => void): Promise<void> {
  if (ended !== undefined) return Promise.reject(ended);
  // Referenced while it works, so the process waits for its chunks.
  worker.ref();
  worker.postMessage(task);
  return new Promise((resolve, reject) => {
    worker.on("message", (finished: ChunkDone | null) => {
      if (finished !== null) return collect(finished);
      worker.unref();
      resolve();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(stoppedEarly(code)));
  });
}

function stoppedEarly(code: number): Error {
  return new Error(`a planning thread stopped with exit code ${code} before its last chunk`);
}
