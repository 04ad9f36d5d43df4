/**
 * What must be true after each step of a generated rollout, worked out on the pure model before
 * the rollout runs, and written as the steps' own expectations so that the scenario runner checks
 * them on the host and `dosim replay` of the written file checks them the same way:
 *
 * - operations: refused exactly when the model refuses them (with its code), and then the active
 *   deployment unchanged and no reset; otherwise the deployment the model made, and every followed
 *   object assigned the version the model assigns (the model and the host agree);
 * - requests and traffic: nothing fails except with the documented reset error, and with a count
 *   to check, the number of resets the model foresees for calls held in flight;
 * - nothing lost: with a count field, each request's answer holds the object's successful writes
 *   so far, this one included;
 * - calls (other routes, often over RPC): nothing fails except with the documented reset error;
 * - WebSockets: open while their object's instance lives, closed as a reset closes them after
 *   (./socket-oracle.ts).
 */
import { createObjectIdFactory } from "../model/object-ids.js";
import { advanceLedger, applyDeployment, emptyLedger, knowObject, objectIdle, touchObject, type LedgerState } from "../model/ledger.js";
import { objectSlotFromId } from "../model/object-slots.js";
import { activeDeployment, emptyWorker, type ModelContext, type WorkerState } from "../model/types.js";
import type { Limits } from "../model/limits.js";
import type { VersionInput } from "../model/versions.js";
import { isOperationStep, runOperation, type OperationStep } from "../scenario/operations.js";
import type { RequestStep, Scenario, SocketStep, TrafficStep } from "../scenario/types.js";
import type { RolloutSocket } from "./rollout-steps.js";
import { SocketWatch } from "./socket-oracle.js";

/** What the oracle needs besides the scenario. */
export interface OracleContext {
  readonly workerName: string;
  /** The storage key of the followed objects' class (their ids derive from it). */
  readonly uniqueKey: string;
  readonly limits: Limits;
  /** The virtual clock's start, as the host's. */
  readonly startMs: number;
  /** The model's upload input for a declared label, as the host builds it. */
  readonly inputOf: (label: string) => VersionInput;
  /** The JSON field that counts an object's stored writes, when the Worker has one. */
  readonly countField?: string;
  /** The request that writes (and answers the count): a request step with its path and method counts. */
  readonly counted: { readonly path: string; readonly method: string };
}

/**
 * The expectations of one step, as written in a scenario file; `during` is its traffic
 * operation's. `quiet` drops the step's `send`: its socket is closed by then, or may be.
 */
export interface StepExpectations {
  readonly expect?: Record<string, unknown>;
  readonly during?: Record<string, unknown>;
  readonly quiet?: boolean;
}

/** Works out every step's expectations (index for index); `sockets` are the rollout's, by name. */
export function oracleExpectations(scenario: Scenario, context: OracleContext, sockets: ReadonlyMap<string, RolloutSocket> = new Map()): StepExpectations[] {
  return new Oracle(scenario, context, sockets).run();
}

/** The model's run of a rollout, step by step. */
class Oracle {
  readonly #ledger: LedgerState;
  readonly #ids;
  readonly #labels: Record<string, string> = {};
  readonly #versionLabels: Record<string, string> = {};
  readonly #counts = new Map<string, number>();
  readonly #sockets: SocketWatch;
  #worker: WorkerState;
  #nowMs = 0;
  #idsMade = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly context: OracleContext,
    private readonly socketObjects: ReadonlyMap<string, RolloutSocket>,
  ) {
    this.#ledger = emptyLedger(scenario.seed);
    this.#sockets = new SocketWatch(this.#ledger);
    this.#ids = createObjectIdFactory(context.uniqueKey);
    this.#worker = emptyWorker(context.workerName);
    this.#nowMs = context.startMs;
  }

  run(): StepExpectations[] {
    return this.scenario.steps.map((step): StepExpectations => {
      if (isOperationStep(step)) return { expect: this.#operate(step) };
      if (step.kind === "request") return this.#requestStep(step);
      if (step.kind === "traffic") return this.#traffic(step);
      if (step.kind === "socket") return this.#socket(step);
      if (step.kind === "wait") {
        this.#nowMs += step.durationMs;
        advanceLedger(this.#ledger, this.#nowMs);
        this.#sockets.clockMoved();
      } else if (step.kind === "idle") {
        for (const name of step.objects) objectIdle(this.#ledger, this.#objectId(name), this.#nowMs);
      }
      return {};
    });
  }

  /** Runs an operation on the model; what the host must then show. */
  #operate(step: OperationStep): Record<string, unknown> {
    const before = this.#deploymentSpec();
    const outcome = runOperation(this.#worker, step, {
      limits: this.context.limits,
      labels: this.#labels,
      inputOf: this.context.inputOf,
      ctx: (): ModelContext => ({ nowMs: this.#nowMs, newId: () => `model-${++this.#idsMade}` }),
      onVersion: (made) => {
        if (made.label === undefined) return;
        this.#labels[made.label] = made.version.id;
        this.#versionLabels[made.version.id] = made.label;
      },
    });
    this.#worker = outcome.state;
    if (outcome.error !== undefined) return { refused: outcome.error.code, resets: { step: 0 }, ...(before !== undefined && { deployment: before }) };
    if (outcome.deployment !== undefined) {
      const first = this.#ledger.deployment === undefined;
      applyDeployment(this.#ledger, outcome.deployment, this.#nowMs);
      if (first) for (const name of this.scenario.objects) this.#objectId(name);
    }
    const after = this.#deploymentSpec();
    return after === undefined ? {} : { deployment: after, objects: this.#assignments() };
  }

  /**
   * A request from Node: the counted one must succeed and answer its object's count; a call must
   * not fail but with the reset error. A user's invariant keeps its own expectations, and counts
   * a write when it sends the counted request.
   */
  #requestStep(step: RequestStep): StepExpectations {
    const name = step.request.object;
    if (name !== undefined) touchObject(this.#ledger, this.#objectId(name), this.#nowMs);
    const counts = name !== undefined && step.request.path === this.context.counted.path && step.request.method === this.context.counted.method;
    const count = counts ? (this.#counts.get(name) ?? 0) + 1 : 0;
    if (counts) this.#counts.set(name, count);
    if (step.expect !== undefined) return {};
    const field = this.context.countField;
    if (!counts || field === undefined) return { expect: { failures: { other: 0, lost: 0 } } };
    return { expect: { failures: { resets: 0, other: 0, lost: 0 }, json: countJson(field, count) } };
  }

  /** A socket step: its opening reaches the object; then it must be open, or closed as a reset closes it. */
  #socket(step: SocketStep): StepExpectations {
    const socket = this.socketObjects.get(step.socket);
    if (socket === undefined) return {};
    const id = this.#objectId(socket.object);
    if (step.open !== undefined) {
      touchObject(this.#ledger, id, this.#nowMs, socket.hibernatable ? {} : { hibernatable: false });
      this.#sockets.open(step.socket, id);
    }
    const closed = this.#sockets.expected(step.socket);
    return closed === undefined ? { quiet: true } : { expect: { closed }, ...(closed !== false && { quiet: true }) };
  }

  /** Bulk requests to one object, with an operation in their middle or not. */
  #traffic(step: TrafficStep): StepExpectations {
    const name = step.objects[0]!;
    const id = this.#objectId(name);
    touchObject(this.#ledger, id, this.#nowMs);
    const resetsBefore = this.#ledger.resets.length;
    const endsBefore = this.#ledger.ends.length;
    const during = step.during === undefined ? undefined : this.#operate(step.during);
    if (step.during?.holdMs !== undefined && this.#ledger.ends.slice(endsBefore).some((end) => end.objectId === id)) this.#sockets.held(id, endsBefore);
    // A held call fails only if the operation resets its object while it is held.
    const held = step.during?.holdMs !== undefined && this.#ledger.resets.slice(resetsBefore).some((reset) => reset.objectId === id) ? 1 : 0;
    const field = this.context.countField;
    if (field !== undefined) this.#counts.set(name, (this.#counts.get(name) ?? 0) + step.requests - held);
    const failures = field === undefined ? { other: 0, lost: 0 } : { resets: held, other: 0, lost: 0 };
    if (during === undefined) return { expect: { failures } };
    // A `during` operation checks its refusal and resets; the state after it is the step's to check.
    const { refused, resets, ...state } = during;
    return { expect: { failures, ...state }, during: { ...(refused !== undefined && { refused }), ...(resets !== undefined && { resets }) } };
  }

  /** The active deployment as a spec of labels (`B@20,A@80`). */
  #deploymentSpec(): string | undefined {
    const deployment = activeDeployment(this.#worker);
    return deployment?.entries.map((entry) => `${this.#versionLabels[entry.versionId] ?? entry.versionId}@${entry.percentage}`).join(",");
  }

  /** Each followed object's assigned version, by label. */
  #assignments(): Record<string, string> {
    const assigned: Record<string, string> = {};
    for (const name of this.scenario.objects) {
      const record = this.#ledger.objects[this.#objectId(name)];
      if (record !== undefined) assigned[name] = this.#versionLabels[record.assigned] ?? record.assigned;
    }
    return assigned;
  }

  /** The id of a followed object, made known to the ledger once there is a deployment. */
  #objectId(name: string): string {
    const id = this.#ids.idFromName(name);
    if (this.#ledger.objects[id] === undefined && this.#ledger.deployment !== undefined) knowObject(this.#ledger, { id, name, slot: objectSlotFromId(id) });
    return id;
  }
}

/** The JSON an answer must contain for its count: `object.count` (a dotted path) nests the field. */
export function countJson(field: string, count: number): Record<string, unknown> {
  return field
    .split(".")
    .reduceRight<unknown>((inner, key) => ({ [key]: inner }), count) as Record<string, unknown>;
}
