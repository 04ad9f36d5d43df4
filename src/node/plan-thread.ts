/**
 * A worker thread of {@link planObjects}: claims chunks of the names and does them into the shared
 * arrays until none is left, reporting the size of each chunk it finishes (for the progress bar).
 */
import { parentPort, workerData } from "node:worker_threads";
import { planChunks, type PlanTask } from "./plan-threads.js";

await planChunks(workerData as PlanTask, (count) => parentPort!.postMessage(count), false);
