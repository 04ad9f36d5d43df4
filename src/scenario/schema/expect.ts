/**
 * Expectations. What the world looks like (objects, resets, the active deployment) can be checked
 * by any step; what a step returned (a refusal, responses, realised shares) only by the step that
 * produced it. So each kind of step accepts its own `expect` block, and a strict schema rejects,
 * say, a `status` under a `deploy`.
 */
import { z } from "zod";
import { Count, Label, ObjectName, RefusalCode } from "./common.js";

/** A deployment as a wrangler spec (`B@20,A@80`) or a map in listed order (`{B: 20, A: 80}`). */
export const DeploymentSpec = z
  .union(
    [
      z.string().min(1).describe("wrangler's form: B@20,A@80 (or one label: B, meaning B@100)."),
      z
        .record(Label, z.number().min(0).max(100))
        .describe("Label → percentage, in listed order (the order matters for Durable Objects)."),
    ],
    { error: "expected a deployment: a spec such as B@20,A@80, or a map such as {B: 20, A: 80}" },
  )
  .describe("Versions and percentages, in listed order: B@20,A@80 or {B: 20, A: 80}.")
  .meta({ id: "DeploymentSpec", examples: ["B@20,A@80", { B: 20, A: 80 }] });

/** Reset counts: over the whole run, caused by one step, and per object. */
export const ResetsExpect = z
  .strictObject({
    total: Count.optional().describe("Resets since the run began."),
    step: Count.optional().describe("Resets caused by this step (in an `expect` step: by the nearest earlier step)."),
    perObject: z.record(ObjectName, Count).optional().describe("Resets of each named object since the run began."),
  })
  .describe("Reset counts: total, by this step, per object.")
  .meta({ id: "ResetsExpect" });

/** The state of the Worker and its objects, checked after a step. */
export const stateExpectShape = {
  objects: z
    .record(ObjectName, Label)
    .optional()
    .describe("The version the active deployment assigns each named object."),
  running: z
    .record(ObjectName, Label)
    .optional()
    .describe("The version each named object's code runs now (differs from `objects` while a deferred update waits)."),
  live: z
    .array(ObjectName)
    .optional()
    .describe("Exactly these objects have an in-memory instance; every other known object has none."),
  resets: ResetsExpect.optional(),
  deployment: DeploymentSpec.optional().describe("The active deployment, in listed order."),
} as const;

/** State expectations alone (an `expect` step, a `wait`). */
export const StateExpect = z
  .strictObject(stateExpectShape)
  .describe("What the Worker and its objects look like now.")
  .meta({ id: "StateExpect" });

/** What any operation step may expect: the state after it, or that it is refused. */
export const ActionExpect = z
  .strictObject({
    refused: RefusalCode.optional(),
    ...stateExpectShape,
  })
  .describe("Expectations checked after this step; `refused` says the step must fail with that code (the state then stays as it was).")
  .meta({ id: "ActionExpect" });

/** How many requests failed, and why. */
export const FailuresExpect = z
  .strictObject({
    resets: Count.optional().describe("Responses that failed because a reset hit the object mid-request (durableObjectReset)."),
    other: Count.optional().describe("Responses that failed for any other reason."),
    lost: Count.optional().describe("Requests that never got a response."),
  })
  .describe("Failed requests, each accounted for: by resets, other causes, or lost.")
  .meta({ id: "FailuresExpect" });

/** What bulk traffic can be checked on: counts by status and version, errors, failures. */
const trafficShape = {
  status: z.int().min(100).max(599).optional().describe("Every response has this status."),
  statuses: z
    .record(z.string().regex(/^[1-5]\d\d$/, { error: "a status key is a three-digit HTTP status" }), Count)
    .optional()
    .describe("How many responses had each status, e.g. {200: 95, 503: {max: 5}}."),
  version: Label.optional().describe("Every request was served by this version, as dosim's edge routed it (the Worker's own response headers play no part)."),
  served: z
    .record(ObjectName, Label)
    .optional()
    .describe("The version that ran each named object during this step: every call dosim saw reach it (fetch, RPC, alarm) ran on this version, and there was at least one."),
  share: z
    .record(Label, z.number().min(0).max(100))
    .optional()
    .describe("The realised share of requests per serving version (as dosim's edge routed them), in percent; needs `tolerance`."),
  tolerance: z.number().min(0).max(100).optional().describe("How far a realised share may stray, in percentage points."),
  errors: z.record(Label, Count).optional().describe("Invocations that threw, per version, from the trace events."),
  failures: FailuresExpect.optional(),
  ...stateExpectShape,
} as const;

/** What a `traffic` step may expect of its responses (bodies are not kept), plus the state after it. */
export const TrafficExpect = z
  .strictObject(trafficShape)
  .describe("Expectations of this traffic's responses, and of the state after it.")
  .meta({ id: "TrafficExpect" });

/** What a `request` step may expect of its responses, plus the state after it. */
export const ResponsesExpect = z
  .strictObject({
    ...trafficShape,
    body: z.string().optional().describe("Every response body is exactly this text."),
    json: z.unknown().optional().describe("Every response body is JSON containing these fields (objects match on the keys given)."),
  })
  .describe("Expectations of this request's responses, and of the state after it.")
  .meta({ id: "ResponsesExpect" });
