/**
 * A worker thread of {@link planObjects}: does its share of the names into the shared arrays and
 * reports the size of each chunk it finishes (for the progress bar).
 */
import { parentPort, workerData } from "node:worker_threads";
import { planShare, type ShareTask } from "./plan-threads.js";

await planShare(workerData as ShareTask, (count) => parentPort!.postMessage(count), false);
