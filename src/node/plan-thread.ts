/**
 * A worker thread of {@link planObjects}: loads the chunk loop as it starts, then waits for its
 * task; claims chunks of the names and does them into the shared arrays until none is left,
 * posting each chunk's summary, then `null` when it has no more.
 */
import { parentPort } from "node:worker_threads";
import { planChunks, type PlanTask } from "./plan-chunks.js";

parentPort!.once("message", async (task: PlanTask) => {
  await planChunks(task, (finished) => parentPort!.postMessage(finished), false);
  parentPort!.postMessage(null);
});
