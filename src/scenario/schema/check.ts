/**
 * The `check:` block of a scenario or check file: the workload `dosim check` runs in every cell
 * and, optionally, the deployment plan to check. `dosim replay` ignores it.
 */
import { z } from "zod";
import { ObjectName, StringMap } from "./common.js";

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** What a workload request must answer in every cell. */
const WorkloadExpect = z
  .strictObject({
    status: z.int().min(100).max(599).optional().describe("Every response has this status (without it: any status below 500)."),
    body: z.string().optional().describe("Every response body is exactly this text."),
    json: z.unknown().optional().describe("Every response body is JSON containing these fields (objects match on the keys given)."),
  })
  .describe("What the request must answer in every cell; a 5xx, a thrown invocation or a refused RPC call fails a cell anyway.");

/** One request of the workload, written like a scenario's `request` step. */
export const WorkloadRequest = z
  .strictObject({
    request: z.string().regex(/^\//, { error: "a request path starts with /" }).describe("The path, e.g. /rooms/{name}; {name} stands for the object's name in this cell."),
    object: ObjectName.optional().describe("The object the request is for (lobby, or ChatRoom:lobby / ROOMS:lobby for another class)."),
    method: z.enum(HTTP_METHODS).optional().describe("The HTTP method (default GET)."),
    headers: StringMap.optional().describe("Extra request headers; {name} in a value stands for the object's name."),
    body: z.unknown().optional().describe("A string is sent as it is; any other value as JSON. {name} inside it stands for the object's name."),
    count: z.int().min(1).max(1000).optional().describe("Send it this many times in a row (default 1)."),
    expect: WorkloadExpect.optional(),
  })
  .describe("A request the workload sends, in order, in every cell.");

/** The `check:` block. */
export const CheckBlock = z
  .strictObject({
    plan: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe("The deployments to check, in order, from the first version at 100%: B@10,A@90 -> B@50,A@50 -> B@100 (default: each next version at 50%, then 100%)."),
    workload: z.array(WorkloadRequest).min(1, { error: "a workload needs at least one request" }).describe("The requests every cell runs, in order."),
  })
  .describe("What `dosim check` runs: the workload, under every caller × object × storage-writer pairing the plan makes possible.");
