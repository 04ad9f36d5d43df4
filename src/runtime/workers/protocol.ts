/**
 * Names and shapes shared by the Node host and the code it runs inside workerd: binding names,
 * internal headers, the reset reason, trace events. Pure data; imported on both sides.
 */

/** The message of the error callers see when a deployment resets an object under them. */
export const RESET_REASON = "Durable Object reset because its code was updated.";

/**
 * Set by an object on an answer whose body it read whole before returning it: its length in bytes.
 * The caller checks it (an answer cut short by a reset is a reset, not a short 200) and removes it.
 */
export const BODY_LENGTH_HEADER = "x-dosim-body-length";

/**
 * Set by the edge on every answer it routes to a version: the id of the version that served the
 * request. The Node host reads and removes it; neither the user's code nor a client ever sees it.
 */
export const SERVED_VERSION_HEADER = "x-dosim-served-version";

/** Prefix of every binding dosim adds to a version's env; user code never sees these. */
export const INTERNAL_BINDING_PREFIX = "__DOSIM_";

/** Internal bindings of a version worker. */
export const VERSION_BINDINGS = {
  /** JSON: {@link VersionIdentity}. */
  identity: "__DOSIM_VERSION",
  /** The control plane's Durable Object namespace. */
  control: "__DOSIM_CONTROL",
  /** Prefix of the namespace that hosts each of the version's own classes. */
  classPrefix: "__DOSIM_CLASS_",
  /** Service binding to dosim's bridge worker (control calls where the user's date has no RPC). */
  bridge: "__DOSIM_BRIDGE",
  /**
   * Prefix of the binding dosim gives a class that the migrations declare and no binding names
   * (reached through ctx.exports only): it is hosted and routed as a bound class is.
   */
  unboundPrefix: "__DOSIM_UNBOUND_",
} as const;

/** The unsafe-eval binding of a spare slot worker, which loads a version's code (internal: user code never sees it). */
export const SLOT_EVAL_BINDING = "__DOSIM_EVAL";

/** What the control plane pushes to every version isolate after each change of the ledger or clock. */
export interface VersionSync {
  readonly epoch: number;
  readonly nowMs: number;
}

/**
 * The header that carries the run's secret on every request the Node host sends into workerd (user
 * traffic through the edge, and control calls). workerd's port is open to every local process, so
 * the edge and the control worker refuse a request without it; the edge removes it before user code
 * sees the request.
 */
export const RUN_SECRET_HEADER = "x-dosim-run-secret";

/** The binding that gives the edge and the control worker the run's secret. */
export const RUN_SECRET_BINDING = "DOSIM_RUN_SECRET";

/** The Worker names dosim adds next to the version workers. */
export const INTERNAL_WORKERS = {
  edge: "dosim-edge",
  control: "dosim-control",
  /** Holds the deployed versions' namespaces and forwards the routing bindings' calls (object-router.ts). */
  router: "dosim-do-router",
  /** The module of every routing binding (do-router.worker.ts); Miniflare copies its bindings into each. */
  routing: "dosim-do-routing",
  bridge: "dosim-bridge",
  /** Stands in for the Durable Object classes of other Workers the versions bind to (outside-objects.ts); only when there are some. */
  outside: "dosim-outside",
} as const;

/** The control plane object's name within its namespace (there is one). */
export const CONTROL_OBJECT_NAME = "control-plane";

/** The named entrypoint of every version worker that the control plane talks to. */
export const VERSION_CONTROL_ENTRYPOINT = "DosimVersionControl";

/** The named entrypoint of the bridge worker that a version's service binding to another Worker reaches (outside-service.ts). */
export const OUTSIDE_SERVICE_ENTRYPOINT = "DosimOutsideService";

/** The props of a version's service binding to a Worker outside the run. */
export interface OutsideServiceProps {
  /** The Worker the binding names. */
  readonly service: string;
  /** The binding's name in the user's env. */
  readonly binding: string;
  /** The Worker dosim runs. */
  readonly worker: string;
}

/** The named entrypoint of the object router that the routing bindings call (object-router.ts). */
export const OBJECT_ROUTER_ENTRYPOINT = "DosimObjectRouter";

/** Set by a routing binding on an object's request to the object router: the {@link ObjectRoute}, as JSON. */
export const OBJECT_ROUTE_HEADER = "x-dosim-object-route";

/** Which object a routing binding's call goes to: the version (or slot) that runs it, the class, the caller's storage. */
export interface ObjectRoute {
  readonly versionId: string;
  /** The spare slot the version was loaded into, if it was. */
  readonly slot?: number;
  readonly className: string;
  /** The unique key of the calling version's class (see namespace-binding.ts). */
  readonly uniqueKey?: string;
  readonly objectId: string;
  /** The object's name, when it was reached by one (object-stub.ts). */
  readonly name?: string;
}

/** The named entrypoint of the edge that receives routing pushes. */
export const EDGE_CONTROL_ENTRYPOINT = "DosimEdgeControl";

/** What a version worker knows about itself (its `__DOSIM_VERSION` binding). */
export interface VersionIdentity {
  readonly workerName: string;
  readonly id: string;
  readonly tag?: string;
  readonly message?: string;
  /** Names of the Durable Object classes this version exports. */
  readonly classes: readonly string[];
  /** Whether the version's compatibility settings enable JS RPC (else dosim's calls use the bridge). */
  readonly rpc: boolean;
  /**
   * Class → the binding of its routing namespace, which `ctx.exports` offers in place of the class's
   * own (ctx-exports.ts); present when the version has ctx.exports.
   */
  readonly exports?: Readonly<Record<string, string>>;
}

/** Where the control plane and the router find each version's pieces (a JSON binding). */
export interface Topology {
  readonly workerName: string;
  /** Version id → its bindings in the control worker and the object router. */
  readonly versions: Readonly<Record<string, VersionTopology>>;
  /**
   * Class name → unique key (shared by every version's namespace of that class, and by a renamed
   * class's namespaces under both names); where versions differ, the newest version's.
   */
  readonly uniqueKeys: Readonly<Record<string, string>>;
  /**
   * The spare slots' bindings, by slot index: a version loaded into slot i after start is reached
   * through `slots[i]` (the control plane decides which version runs in which slot). Absent: none.
   */
  readonly slots?: readonly VersionTopology[];
}

/** What the control plane sends a spare slot to load a version into it (see slot-runtime.worker.ts). */
export interface SlotLoad {
  /** The version's module, as CommonJS. */
  readonly code: string;
  /** The module's name in stack traces. */
  readonly moduleName: string;
  /** The version's static bindings as data: its identity, vars, secrets and version metadata. */
  readonly bindings: Record<string, unknown>;
  /** The Durable Object classes the version exports (those its config binds). */
  readonly classes: readonly string[];
}

/** One version's bindings, as named in the control, router and edge workers. */
export interface VersionTopology {
  readonly tag?: string;
  readonly message?: string;
  /** Service binding (in control and edge) to the version worker. */
  readonly service: string;
  /** Service binding (in control and edge) to the version's control entrypoint. */
  readonly control: string;
  /** Class name → Durable Object namespace binding (in the control worker and the object router). */
  readonly namespaces: Readonly<Record<string, string>>;
  /** Class name → its namespace's unique key (the storage it reaches; see class migrations). */
  readonly namespaceKeys?: Readonly<Record<string, string>>;
}

/** One log line of an invocation. */
export interface TraceLog {
  readonly Level: string;
  readonly Message: readonly unknown[];
  readonly TimestampMs: number;
}

/** One uncaught exception of an invocation. */
export interface TraceException {
  readonly Name: string;
  readonly Message: string;
  readonly TimestampMs: number;
}

/**
 * One invocation, shaped like a Workers Trace Events (Logpush) record. `EventTimestampMs` is
 * virtual time; `Seq` orders events of one run.
 */
export interface TraceEvent {
  readonly EventTimestampMs: number;
  /** As Workers Trace Events name them; a hibernatable WebSocket's message, close or error is `hibernatable_web_socket`. */
  readonly EventType: "fetch" | "rpc" | "alarm" | "hibernatable_web_socket";
  readonly Outcome: "ok" | "exception";
  readonly ScriptName: string;
  readonly ScriptVersion: { readonly id: string; readonly message: string; readonly tag: string };
  readonly Exceptions: readonly TraceException[];
  readonly Logs: readonly TraceLog[];
  readonly Event: {
    readonly Request?: { readonly Method: string; readonly URL: string };
    readonly RpcMethod?: string;
    /** For `hibernatable_web_socket`: which handler ran. */
    readonly WebSocketEventType?: "message" | "close" | "error";
  };
  /** Present for Durable Object invocations. */
  readonly DurableObject?: { readonly Class: string; readonly Id: string };
  /** Per-isolate sequence number (ties broken by it when sorting). */
  readonly Seq: number;
}
