/**
 * The control plane's API as plain data: what the host sends and reads back, what the edge is
 * pushed, and how bulk traffic is described. Shared by the Node host and the workers.
 */
import type { SlotAssignments } from "./slot-table.js";
import type { CodeUpdateRequest } from "../../model/code-update.js";
import type { LedgerState, ResetRecord } from "../../model/ledger.js";
import type { Limits } from "../../model/limits.js";
import type { Deployment, WorkerState } from "../../model/types.js";
import type { TemplateBody } from "./request-template.js";

/** The state the control plane adopts when its storage is empty (computed by the host). */
export interface BootState {
  readonly seed: string;
  readonly nowMs: number;
  /** Numbers the seeded id stream drew to build `state`. */
  readonly draws: number;
  readonly state: WorkerState;
  readonly limits?: Partial<Limits>;
}

/** A `versions deploy` request. */
export interface DeployRequest {
  /** wrangler's spec (`B@20,A@80`), tokens, or items. */
  readonly spec: string | readonly string[] | readonly { ref: string; percentage?: number }[];
  readonly message?: string;
  readonly codeUpdate?: CodeUpdateRequest;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What the edge needs to route requests; pushed at every deployment and clock change. */
export interface RoutingInfo {
  readonly workerName: string;
  readonly seed: string;
  readonly nowMs: number;
  readonly deployment: Deployment | null;
  /** Versions loaded into spare slots since workerd started: where the edge finds them. */
  readonly slots?: SlotAssignments;
}

/** An instance of an object starting, being refused (stale version) or being reset. */
export interface InstanceEvent {
  readonly seq: number;
  readonly kind: "start" | "refused" | "stop";
  readonly objectId: string;
  readonly versionId: string;
  readonly instance: string;
  readonly atMs: number;
  /** Set when a start happened while another instance of the object was still live. */
  readonly overlapsWith?: string;
}

/** How many instance events of each kind the control plane has recorded since workerd started. */
export interface InstanceCounts {
  readonly started: number;
  readonly refused: number;
  readonly stopped: number;
  /** Starts while another instance of the object was still live (the platform never has any). */
  readonly overlapping: number;
}

/** Everything the host can read from the control plane at once. */
export interface ControlSnapshotView {
  readonly worker: WorkerState;
  readonly ledger: LedgerState;
  readonly nowMs: number;
  /** Object id → Durable Object class name. */
  readonly classes: Readonly<Record<string, string>>;
  /** Object id → version of its live instance. */
  readonly liveInstances: Readonly<Record<string, string>>;
  /** The newest instance events (a bounded window, oldest first; see instance-journal.ts). */
  readonly instanceEvents: readonly InstanceEvent[];
  /** Counts of all instance events, including those that left the window. */
  readonly instanceCounts: InstanceCounts;
}

/** A slice of the ledger for a log: resets from an index on, and a few objects' records. */
export interface JournalView {
  /** How many resets the ledger holds in all. */
  readonly resetsTotal: number;
  /** How many objects the ledger knows. */
  readonly objectCount: number;
  readonly resets: readonly ResetRecord[];
  /** Object id → its name (when known), the version running it, and whether it is live. */
  readonly objects: Readonly<Record<string, { readonly name?: string; readonly running: string; readonly live: boolean }>>;
}

/** Traffic generated inside workerd: `requests` requests through the edge. */
export interface BulkSpec {
  readonly requests: number;
  /**
   * Requests in flight at once (default 128). Requests go out in windows of this size; a window
   * holds each object name once, so one object's requests still run one at a time, in order.
   */
  readonly concurrency?: number;
  /** Share of requests that go to an object (0–1, default 1 when names are given, else 0). */
  readonly objectShare?: number;
  /** Object names to spread object requests over (picked by the seeded stream). */
  readonly objectNames?: readonly string[];
  /** Or: `objectCount` names `<objectPrefix><i>` (default prefix "object-"). */
  readonly objectCount?: number;
  readonly objectPrefix?: string;
  /**
   * The path of a request to an object: `{name}` stands for its name, URL-encoded (default
   * `/objects/{name}`, the bundled example's route).
   */
  readonly objectPath?: string;
  /** Paths for the other requests (default ["/"]). */
  readonly paths?: readonly string[];
  /** Headers of every request; `{name}` in a value stands for the object's name. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body of every request (text, or a JSON value sent as JSON); `{name}` stands for the object's name. */
  readonly body?: TemplateBody;
  /** Version keys to spread requests over (a `Cloudflare-Workers-Version-Key` each). */
  readonly versionKeys?: readonly string[];
  /** Sent as `Cloudflare-Workers-Version-Overrides` on every request. */
  readonly overridesHeader?: string;
  readonly method?: string;
  /**
   * How object names are chosen: "random" (the seeded stream, default) or "sequential" (request i
   * of the object requests goes to name i mod the number of names, so each name gets its share).
   */
  readonly order?: "random" | "sequential";
  /** Seeds the choice of names, keys and paths (default "bulk"). */
  readonly seed?: string;
  /** An operation of the control plane carried out at a set point of the run (see {@link BulkDuring}). */
  readonly during?: BulkDuring;
}

/** One control plane method call, with its arguments as the host's API sends them. */
export interface ControlCall {
  readonly method: "upload" | "putSecret" | "deploy" | "fullDeploy" | "rollback";
  readonly args: readonly unknown[];
}

/**
 * An operation that bulk traffic carries out from inside workerd, at the window holding request
 * number `afterRequests` (counting from 1; 0 means the first window). Without `holdMs` the
 * operation runs when that window is done and before the next one starts: no request is in flight.
 * With it, dosim holds every object call of that window's requests that long, once the object's
 * version is chosen (on any Worker: the Worker's code is not asked to wait), and the operation
 * starts `delayMs` after the window was sent, while those calls are held; the next window starts
 * once both are done. Calls held for an object that the operation moves fail with the reset error.
 */
export interface BulkDuring {
  readonly afterRequests: number;
  /** The control plane calls, in order; the first refused one ends them. */
  readonly calls: readonly ControlCall[];
  /** How long each object call of the operation's window is held, in ms. */
  readonly holdMs?: number;
  /** How long after sending the window the operation starts, in ms (only with `holdMs`; default 0). */
  readonly delayMs?: number;
}

/** What the `during` operation of bulk traffic did. */
export interface BulkDuringResult {
  /** The index of the first request of the window it ran in, and of the first after it. */
  readonly window: { readonly first: number; readonly end: number };
  /** Each call's answer (a `Result` of the control plane), up to the first refused one. */
  readonly answers: readonly unknown[];
  /** Resets in the ledger just before the operation. */
  readonly resetsBefore: number;
  /**
   * Trace events not yet drained by the host just before the operation: the host's next drain
   * returns them first, then the events of the requests after the operation began.
   */
  readonly tracesBefore: number;
  /** Version id → count, like `byVersion`, of the requests up to the window's end (routed before the operation). */
  readonly versionsBefore: Readonly<Record<string, number>>;
  /** The control plane's state right after the operation. */
  readonly snapshot: ControlSnapshotView;
}

/** What bulk traffic did. */
export interface BulkResult {
  readonly requests: number;
  /** HTTP status → count. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Id of the version the edge routed each answered request to → count ("none": the edge answered itself). */
  readonly byVersion: Readonly<Record<string, number>>;
  /** Requests answered with the reset error (HTTP 503 from the example, or a thrown reset). */
  readonly resetErrors: number;
  /** Requests that threw inside workerd (no response). */
  readonly thrown: number;
  /** Wall time inside workerd, in ms (coarse: workerd's clock moves only across I/O). */
  readonly elapsedMs: number;
  /** A hash of every request's status and version, in request order: equal runs have equal digests. */
  readonly digest: string;
  /** What the spec's `during` operation did (when it had one). */
  readonly during?: BulkDuringResult;
}
