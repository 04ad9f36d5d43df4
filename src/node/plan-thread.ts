/**
 * A worker thread of {@link planObjects}: claims chunks of the names and does them into the shared
 * arrays until none is left, posting each chunk's summary, then `null` when it has no more.
 */
import { parentPort, workerData } from "node:worker_threads";
import { planChunks, type PlanTask } from "./plan-chunks.js";

await planChunks(workerData as PlanTask, (finished) => parentPort!.postMessage(finished), false);
parentPort!.postMessage(null);
