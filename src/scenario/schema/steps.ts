/**
 * The steps of a scenario. Each step is a mapping with exactly one action key (`upload`, `deploy`,
 * `rollback`, `secret`, `request`, `traffic`, `wait`, or `expect` alone); the action's value is its
 * short form and its options sit beside it:
 *
 *   - deploy: B@20,A@80
 *     message: 20% canary
 *     expect: { objects: { foo: A } }
 */
import { z } from "zod";
import { CodeUpdate, Duration, Label, ObjectName, StringMap } from "./common.js";
import { ActionExpect, DeploymentSpec, ResetsExpect, ResponsesExpect, StateExpect, TrafficExpect } from "./expect.js";
import { RefusalCode } from "./common.js";
import { socketShape } from "./websocket.js";

/** Every action key, in the order the step union lists them. */
export const STEP_ACTIONS = ["upload", "deploy", "rollback", "secret", "request", "traffic", "wait", "idle", "socket", "expect"] as const;

/** One action key. */
export type StepAction = (typeof STEP_ACTIONS)[number];

/** The operations a `traffic` step may run while its requests are in flight. */
export const DURING_ACTIONS = ["upload", "deploy", "rollback", "secret"] as const;

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const name = z.string().min(1).optional().describe("A name for this step in reports.");
const message = z.string().optional().describe("The deployment or version message (workers/message).");

const uploadShape = {
  upload: Label.describe("`versions upload` of this declared version: a new version, nothing deployed."),
  count: z.int().min(1).max(1000).optional().describe("Upload it this many times (each a new version); the label names the newest."),
};

const deployShape = {
  deploy: DeploymentSpec.describe(
    "`versions deploy`: B@20,A@80 or {B: 20, A: 80}. The run's first deploy is a full `deploy` of one version at 100%.",
  ),
  full: z
    .boolean()
    .optional()
    .describe("A full `deploy` (wrangler deploy): uploads the version anew and puts it at 100%; the only way to apply a DO migration."),
  message,
  codeUpdate: CodeUpdate.optional().describe("This deployment's code-update strategy (default: the file's codeUpdate, else deferred with a 300 s delay)."),
};

const rollbackShape = {
  rollback: Label.nullable().describe("`rollback` to this version; leave empty for the newest earlier deployment at 100%."),
  message,
  force: z.boolean().optional().describe("Roll back even when the target's secrets differ from the current ones (10220)."),
  codeUpdate: CodeUpdate.optional().describe("This deployment's code-update strategy (default: the file's codeUpdate, else deferred with a 300 s delay)."),
};

const secretShape = {
  secret: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "a secret name holds letters, digits and underscores, and does not start with a digit" })
    .describe("The secret's name."),
  value: z.string().describe("The secret's value."),
  versioned: z
    .boolean()
    .optional()
    .describe("true: `versions secret put` (a new version, not deployed). false (default): `secret put` (a new version, deployed at 100%)."),
  label: Label.optional().describe("A label for the version this creates, so later steps can deploy or expect it."),
  message,
  codeUpdate: CodeUpdate.optional().describe("The code-update strategy of the deployment a plain `secret put` makes (default: the file's codeUpdate, else deferred with a 300 s delay)."),
};

const requestOptions = {
  method: z.enum(HTTP_METHODS).optional().describe("The HTTP method (default GET)."),
  headers: StringMap.optional().describe("Extra request headers; {name} in a value stands for the object's name."),
  body: z
    .unknown()
    .optional()
    .describe("The request body: a string is sent as it is; any other value is sent as JSON (with content-type: application/json unless headers set one). {name} inside it stands for the object's name."),
};

const requestShape = {
  request: z
    .string()
    .regex(/^\//, { error: "a request path starts with /" })
    .describe("The path to request, e.g. / or /rooms/{name} ({name}: the `object`'s name, URL-encoded)."),
  object: ObjectName.optional().describe("The object this request is for: its name fills {name} in the path, headers and body (lobby, or ChatRoom:lobby / ROOMS:lobby for another class)."),
  ...requestOptions,
  versionKey: z.string().min(1).optional().describe("Sent as Cloudflare-Workers-Version-Key."),
  override: Label.optional().describe("Sent as Cloudflare-Workers-Version-Overrides, naming this version for the Worker."),
  count: z.int().min(1).max(10_000).optional().describe("Send it this many times, one after another (default 1)."),
};

/** Steps that can run while traffic is in flight: an operation plus when to start it. */
const afterRequests = z.int().min(0).optional().describe("Start once this many of the traffic's requests have been sent (default: half of them).");
const hold = Duration.optional().describe(
  "Hold the requests in flight at the operation this long: dosim holds each of their Durable Object calls once the object's version is chosen (on any Worker, without its code's help), so the operation's resets catch them; at least 100ms. Without it the operation runs between two windows of requests.",
);
const duringExpect = z
  .strictObject({ refused: RefusalCode.optional(), resets: ResetsExpect.optional() })
  .optional()
  .describe("What this operation must do: be refused, or cause so many resets.");

/** Each operation that may run during traffic, by its action key. */
export const DURING_BRANCHES = {
  upload: z.strictObject({ afterRequests, hold, ...uploadShape, expect: duringExpect }),
  deploy: z.strictObject({ afterRequests, hold, ...deployShape, expect: duringExpect }),
  rollback: z.strictObject({ afterRequests, hold, ...rollbackShape, expect: duringExpect }),
  secret: z.strictObject({ afterRequests, hold, ...secretShape, expect: duringExpect }),
} as const satisfies Record<(typeof DURING_ACTIONS)[number], z.ZodType>;

export const DuringStep = z
  .union(
    [DURING_BRANCHES.upload, DURING_BRANCHES.deploy, DURING_BRANCHES.rollback, DURING_BRANCHES.secret],
    { error: `expected an operation to run during the traffic: one of ${DURING_ACTIONS.join(", ")}, with afterRequests` },
  )
  .describe("An operation to run while the traffic is in flight, once `afterRequests` requests have been sent.");

const trafficShape = {
  traffic: z.int().min(1).max(10_000_000).describe("Send this many requests from inside workerd."),
  path: z
    .string()
    .regex(/^\//, { error: "a request path starts with /" })
    .optional()
    .describe("The path of every request (default /). With `objects`, {name} stands for each request's object, URL-encoded (default /objects/{name}, the bundled example's route)."),
  ...requestOptions,
  keys: z
    .union([z.int().min(1).max(100_000), z.array(z.string().min(1)).min(1)], {
      error: "keys is a count from 1 to 100000 (key-1, key-2, ...) or a list of non-empty keys",
    })
    .optional()
    .describe("Version keys to spread requests over: a count (key-1, key-2, ...) or a list."),
  objects: z
    .union([z.literal("all"), z.array(ObjectName).min(1)], { error: "objects is all (every declared object) or a list of object names" })
    .optional()
    .describe("Objects to spread requests over: a list, or all the declared objects. Each request carries its object's name where the path, headers or body say {name}."),
  override: Label.optional().describe("Sent as Cloudflare-Workers-Version-Overrides on every request, naming this version."),
  concurrency: z.int().min(1).max(1000).optional().describe("Requests in flight at once (default 32)."),
  during: DuringStep.optional(),
};

/**
 * Each kind of step, by its action key. The loader validates a step against the branch its action
 * key names, so a mistake inside a step is reported as itself and not as "no branch matched".
 */
export const STEP_BRANCHES = {
  upload: z.strictObject({ ...uploadShape, name, expect: ActionExpect.optional() }).describe("Upload a version."),
  deploy: z.strictObject({ ...deployShape, name, expect: ActionExpect.optional() }).describe("Deploy versions."),
  rollback: z.strictObject({ ...rollbackShape, name, expect: ActionExpect.optional() }).describe("Roll back."),
  secret: z.strictObject({ ...secretShape, name, expect: ActionExpect.optional() }).describe("Put a secret."),
  request: z.strictObject({ ...requestShape, name, expect: ResponsesExpect.optional() }).describe("Send a request."),
  traffic: z.strictObject({ ...trafficShape, name, expect: TrafficExpect.optional() }).describe("Send many requests inside workerd."),
  wait: z
    .strictObject({ wait: Duration.describe("Move the virtual clock forward this long."), name, expect: StateExpect.optional() })
    .describe("Wait on the virtual clock."),
  idle: z
    .strictObject({
      idle: z.union([ObjectName, z.array(ObjectName).min(1)], { error: "idle names an object, or a list of objects" }).describe("These objects' instances hibernate now (a shortcut for 10 s without requests)."),
      name,
      expect: StateExpect.optional(),
    })
    .describe("Objects hibernate now: their instances end, and a deferred update waiting on them happens now."),
  socket: z.strictObject({ ...socketShape, name }).describe("Open, use or check a WebSocket (see schema/websocket.ts)."),
  expect: z.strictObject({ expect: StateExpect, name }).describe("Check the state."),
} as const satisfies Record<StepAction, z.ZodType>;

/** One step of a scenario (the union of {@link STEP_BRANCHES}, in {@link STEP_ACTIONS} order). */
export const Step = z
  .union(
    [
      STEP_BRANCHES.upload,
      STEP_BRANCHES.deploy,
      STEP_BRANCHES.rollback,
      STEP_BRANCHES.secret,
      STEP_BRANCHES.request,
      STEP_BRANCHES.traffic,
      STEP_BRANCHES.wait,
      STEP_BRANCHES.idle,
      STEP_BRANCHES.socket,
      STEP_BRANCHES.expect,
    ],
    { error: `expected a step with one action: ${STEP_ACTIONS.join(", ")}` },
  )
  .describe("One step: exactly one of upload, deploy, rollback, secret, request, traffic, wait, idle, socket, or expect alone.");
