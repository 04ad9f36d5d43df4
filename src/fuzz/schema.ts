/**
 * The fuzz file: a scenario file (its Worker, versions, objects, code-update strategy, limits and
 * request invariants) with a `fuzz:` block that says what else the Worker offers for the generated
 * workload to exercise: WebSocket endpoints and calls (routes that reach an object, usually over
 * RPC). `dosim replay` has no use for the block; `dosim fuzz` reads it.
 *
 *   fuzz:
 *     sockets:
 *       - open: /rooms/{name}/socket
 *         send: [hello]
 *     calls:
 *       - request: /rooms/{name}/peek
 */
import { z } from "zod";
import { ScenarioFileSchema } from "../scenario/schema.js";
import { StringMap } from "../scenario/schema/common.js";

const NAMED_PATH = /^\/.*\{name\}/;
const namedPath = (what: string) =>
  z.string().regex(NAMED_PATH, { error: `${what} starts with / and holds {name}, where the object's name goes (e.g. /rooms/{name}/socket)` });

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** A WebSocket endpoint of the Worker that reaches one object. */
export const FuzzSocket = z
  .strictObject({
    open: namedPath("a socket path").describe("The path an Upgrade: websocket request opens, e.g. /rooms/{name}/socket ({name}: the object's name)."),
    headers: StringMap.optional().describe("Extra headers of the opening request."),
    send: z.array(z.string()).optional().describe("Text messages to send each time a rollout opens or uses the socket (default: none)."),
    hibernatable: z
      .boolean()
      .optional()
      .describe("true (default): the object accepts it with ctx.acceptWebSocket and can hibernate; false: with server.accept(), so the object cannot hibernate and is evicted after 70–140 s of inactivity instead."),
  })
  .describe("A WebSocket endpoint: rollouts open sockets on it, and expect each to stay open until its object's instance ends, then to be closed with 1006.");

/** A call the workload makes: a route of the Worker that reaches one object (over RPC or fetch). */
export const FuzzCall = z
  .strictObject({
    request: namedPath("a call's path").describe("The path, e.g. /rooms/{name}/peek ({name}: the object's name)."),
    method: z.enum(HTTP_METHODS).optional().describe("The HTTP method (default GET)."),
    headers: StringMap.optional().describe("Extra request headers; {name} in a value stands for the object's name."),
    body: z.unknown().optional().describe("A string is sent as it is; any other value as JSON. {name} inside it stands for the object's name."),
  })
  .describe("A request rollouts send between their steps; it must not fail (no 5xx) except with the documented reset error.");

/** The `fuzz:` block. */
export const FuzzBlock = z
  .strictObject({
    sockets: z.array(FuzzSocket).optional().describe("WebSocket endpoints to open and check during rollouts."),
    calls: z.array(FuzzCall).optional().describe("Routes that call an object (for example over RPC), to send during rollouts."),
  })
  .describe("What the generated workload exercises besides the request given by --path: WebSocket endpoints and calls.");

/** A fuzz file, as validated: a scenario file with an optional `fuzz:` block. */
export const FuzzFileSchema = ScenarioFileSchema.extend({ fuzz: FuzzBlock.optional() })
  .describe("A dosim fuzz file: a scenario whose Worker, versions and objects dosim fuzz rolls out, and a fuzz block.")
  .meta({ title: "dosim fuzz file" });

/** A fuzz file as written. */
export type FuzzFile = z.infer<typeof FuzzFileSchema>;

/** One socket endpoint as written. */
export type FuzzSocketFile = z.infer<typeof FuzzSocket>;

/** One call as written. */
export type FuzzCallFile = z.infer<typeof FuzzCall>;
