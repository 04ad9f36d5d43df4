/**
 * A scenario after loading: defaults applied, paths absolute, durations in milliseconds, deploy
 * specs parsed, counts as ranges, and every step carrying where it was written. This is what a
 * runner consumes; it is plain data (JSON-serialisable) so reports can embed it.
 *
 * Labels: an operation (a deploy spec, a rollback target, an override) names the newest version
 * made under a label (by `upload`, a full deploy, or a `secret` step's `label`); an expectation
 * matches any version made under it, so `deployment: B@10,A@90` still holds after B is uploaded
 * again. A version made without a label (a `secret` step without one) matches no label.
 */
import type { ErrorCode } from "../model/errors.js";
import type { Limits } from "../model/limits.js";
import type { CodeUpdate } from "../model/types.js";
import type { GuaranteeName } from "../model/checkers/rollout-view.js";
import type { RequestTemplate, TemplateBody } from "../runtime/workers/request-template.js";

/** Where something was written: 1-based line and column, and its path (`steps[3].deploy`). */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  readonly path: string;
}

/** A count expectation as an inclusive range; an exact count has `min === max`. */
export interface CountRange {
  readonly min: number;
  /** Absent when there is no upper bound. */
  readonly max?: number;
}

/** One wrangler `[[migrations]]` entry. */
export interface ScenarioMigration {
  readonly tag: string;
  readonly new_classes?: readonly string[];
  readonly new_sqlite_classes?: readonly string[];
  readonly renamed_classes?: readonly { readonly from: string; readonly to: string }[];
  readonly deleted_classes?: readonly string[];
}

/** A declared version: the wrangler config plus these changes. */
export interface ScenarioVersion {
  readonly label: string;
  /** workers/tag; the label unless the file says otherwise. */
  readonly tag: string;
  readonly message?: string;
  /** Set on top of the config's [vars]. */
  readonly vars: Readonly<Record<string, string>>;
  /** Set on this version; the model inherits the others from the newest version. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Appended to the config's own migrations; the last tag becomes the version's migration tag. */
  readonly migrations: readonly ScenarioMigration[];
  /** An absolute path to a different wrangler config for this version's code. */
  readonly config?: string;
  /** An absolute path to a different entry module. */
  readonly main?: string;
  readonly at: SourceLocation;
}

/** One entry of a deployment, by label, in listed order. */
export interface LabelledEntry {
  readonly label: string;
  readonly percentage: number;
}

/** Reset counts to check. */
export interface ResetsExpectation {
  readonly total?: CountRange;
  /** Resets caused by the step (for an `expect` step: by the nearest earlier step that is not one). */
  readonly step?: CountRange;
  readonly perObject?: Readonly<Record<string, CountRange>>;
}

/** The state after a step: object name → label maps, live objects, resets, the active deployment. */
export interface StateExpectation {
  readonly objects?: Readonly<Record<string, string>>;
  readonly running?: Readonly<Record<string, string>>;
  /** Exactly these known objects are live. */
  readonly live?: readonly string[];
  readonly resets?: ResetsExpectation;
  readonly deployment?: readonly LabelledEntry[];
}

/** What an operation step expects: the state after it, or a refusal with this code. */
export interface ActionExpectation extends StateExpectation {
  readonly refused?: ErrorCode;
}

/** Failed requests by cause. */
export interface FailuresExpectation {
  readonly resets?: CountRange;
  readonly other?: CountRange;
  readonly lost?: CountRange;
}

/** What a request or traffic step expects of its responses, and of the state after it. */
export interface ResponsesExpectation extends StateExpectation {
  readonly status?: number;
  /** HTTP status → how many responses had it. */
  readonly statuses?: Readonly<Record<number, CountRange>>;
  readonly body?: string;
  /** A JSON value every body must contain (objects match on the keys given, the rest exactly). */
  readonly json?: unknown;
  /** The label of the version that must have served every request (as the edge routed it). */
  readonly version?: string;
  /** Object reference → the label every invocation of that object during the step ran on. */
  readonly served?: Readonly<Record<string, string>>;
  /** Realised share per label, in percent, within `tolerance` percentage points. */
  readonly share?: Readonly<Record<string, number>>;
  readonly tolerance?: number;
  /** Label → invocations that threw on that version, from the trace events. */
  readonly errors?: Readonly<Record<string, CountRange>>;
  readonly failures?: FailuresExpectation;
}

/** What every step has. */
interface StepBase {
  /** Position in `steps`, from 0. */
  readonly index: number;
  readonly name?: string;
  readonly at: SourceLocation;
}

/** `versions upload` of a declared version, `count` times; the label then names the newest. */
export interface UploadStep extends StepBase {
  readonly kind: "upload";
  readonly label: string;
  readonly count: number;
  readonly expect?: ActionExpectation;
}

/**
 * A deployment. `full` is a plain `deploy` of one label (a new version at 100%); otherwise a
 * `versions deploy`. `spec` is wrangler's form with labels as references, ready for the model's
 * `deployVersions(state, spec, ctx, { labels })`; `entries` is absent only when the spec does not
 * parse, which the loader allows only for a step that expects a refusal.
 */
export interface DeployStep extends StepBase {
  readonly kind: "deploy";
  readonly spec: string;
  readonly entries?: readonly LabelledEntry[];
  readonly full: boolean;
  readonly message?: string;
  readonly codeUpdate: CodeUpdate;
  readonly expect?: ActionExpectation;
}

/** `rollback`, to a label or (when absent) the newest earlier deployment at 100%. */
export interface RollbackStep extends StepBase {
  readonly kind: "rollback";
  readonly target?: string;
  readonly message?: string;
  readonly force: boolean;
  readonly codeUpdate: CodeUpdate;
  readonly expect?: ActionExpectation;
}

/** `versions secret put` (versioned) or `secret put`; `label` names the version it creates. */
export interface SecretStep extends StepBase {
  readonly kind: "secret";
  readonly secretName: string;
  readonly value: string;
  readonly versioned: boolean;
  readonly label?: string;
  readonly message?: string;
  /** The strategy of the deployment a plain `secret put` makes. */
  readonly codeUpdate: CodeUpdate;
  readonly expect?: ActionExpectation;
}

/**
 * One request, as sent: a {@link RequestTemplate} whose `{name}` the object's name fills.
 * `override` is a label the runner turns into a version id.
 */
export interface RequestSpec extends RequestTemplate {
  /** The object reference (`lobby`, `ChatRoom:lobby`) whose name fills `{name}`. */
  readonly object?: string;
  readonly versionKey?: string;
  readonly override?: string;
}

/** Sends one request `count` times, one after another, from Node. */
export interface RequestStep extends StepBase {
  readonly kind: "request";
  readonly request: RequestSpec;
  readonly count: number;
  readonly expect?: ResponsesExpectation;
}

/**
 * An operation that runs while a traffic step's requests are in flight, once `afterRequests` were
 * sent; with `holdMs`, the requests of that moment are held that long inside their objects.
 */
export type DuringOperation = (UploadStep | DeployStep | RollbackStep | SecretStep) & { readonly afterRequests: number; readonly holdMs?: number };

/**
 * Bulk requests sent from inside workerd (the runtime's `BulkSpec`). Each request picks one of
 * `keys` (if any) and one of `objects` (if any) from the run's seeded stream; with objects, its
 * object's name fills `{name}` in `path`, `headers` and `body`.
 */
export interface TrafficStep extends StepBase {
  readonly kind: "traffic";
  readonly requests: number;
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: TemplateBody;
  readonly keys: readonly string[];
  readonly objects: readonly string[];
  /** A label sent as the overrides header on every request. */
  readonly override?: string;
  readonly concurrency: number;
  readonly during?: DuringOperation;
  readonly expect?: ResponsesExpectation;
}

/** Moves the virtual clock forward. */
export interface WaitStep extends StepBase {
  readonly kind: "wait";
  readonly durationMs: number;
  readonly expect?: StateExpectation;
}

/** The named objects go idle: their instances end, and a deferred switch waiting on them happens. */
export interface IdleStep extends StepBase {
  readonly kind: "idle";
  readonly objects: readonly string[];
  readonly expect?: StateExpectation;
}

/** Opens, uses or checks a WebSocket by name (see src/scenario/schema/websocket.ts). */
export interface SocketStep extends StepBase {
  readonly kind: "socket";
  readonly socket: string;
  /** Opens it first: an Upgrade request to this path. */
  readonly open?: { readonly path: string; readonly headers: Readonly<Record<string, string>> };
  readonly send: readonly string[];
  /** Closes it from the client (1000) after sending. */
  readonly close: boolean;
  /** What it must receive next, and whether (and how) it is closed. Not a state expectation. */
  readonly socketExpect: {
    readonly messages?: readonly string[];
    readonly closed?: boolean | { readonly code: number; readonly reason?: string };
  };
  readonly expect?: undefined;
}

/** Checks the state only. */
export interface ExpectStep extends StepBase {
  readonly kind: "expect";
  readonly expect: StateExpectation;
}

/** One step of a loaded scenario, told apart by `kind`. */
export type ScenarioStep =
  | UploadStep
  | DeployStep
  | RollbackStep
  | SecretStep
  | RequestStep
  | TrafficStep
  | WaitStep
  | IdleStep
  | SocketStep
  | ExpectStep;

/** A loaded, checked scenario. */
export interface Scenario {
  /** The absolute path of the scenario file. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** The seed as a string, ready for the model's `createRandom`. */
  readonly seed: string;
  /** The absolute path of the wrangler config. */
  readonly workerConfig: string;
  /** Objects known from the start (generated names for a count). */
  readonly objects: readonly string[];
  /** Declared versions, in the order written. */
  readonly versions: readonly ScenarioVersion[];
  /** Every label a step may use: declared ones, then those `secret` steps create, in order. */
  readonly labels: readonly string[];
  /** The default code update (each deploy and rollback step has its own, resolved). */
  readonly codeUpdate: CodeUpdate;
  readonly limits: Limits;
  readonly guarantees: readonly GuaranteeName[];
  readonly steps: readonly ScenarioStep[];
  /**
   * Every object reference the file writes (`lobby`, `ChatRoom:lobby`, `ROOMS:lobby`) and where;
   * checked against the Worker's Durable Object classes and bindings once its config is read.
   */
  readonly objectRefs: readonly { readonly ref: string; readonly at: SourceLocation }[];
  /** Where every value was written, by path (`steps[2].expect.objects.foo`), for reports. */
  readonly locations: Readonly<Record<string, SourceLocation>>;
}
