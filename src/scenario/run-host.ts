/**
 * A scenario's operations and requests, carried out on a running {@link Simulator}: labels become
 * version ids, each version-creating operation passes the version staged for it by the dry run, and
 * requests (one by one from Node, or in bulk inside workerd) are summarised for the expectations.
 */
import type { DosimError, Result } from "../model/errors.js";
import type { DeploymentEffect } from "../model/ledger.js";
import type { Version } from "../model/types.js";
import type { VersionInput } from "../model/versions.js";
import { VERSION_KEY_HEADER } from "../model/version-key.js";
import { formatOverridesHeader, VERSION_OVERRIDES_HEADER } from "../model/version-overrides.js";
import type { Simulator, VersionSpec } from "../runtime/simulator.js";
import type { BulkResult, BulkSpec, ControlCall, ControlSnapshotView } from "../runtime/workers/control-api.js";
import { fillRequest } from "../runtime/workers/request-template.js";
import type { DryRunVersion } from "./dry-run.js";
import { objectNameOf } from "./object-refs.js";
import type { DeployStep, DuringOperation, RequestStep, RollbackStep, Scenario, SecretStep, TrafficStep, UploadStep } from "./types.js";

/** What an operation did: refused, or accepted (with the deployment's effect when it made one). */
export interface OperationOutcome {
  readonly refusal?: DosimError;
  readonly effect?: DeploymentEffect;
}

/** What a traffic step's `during` operation did, and the control plane's state right after it. */
export interface DuringOutcome {
  readonly outcome: OperationOutcome;
  readonly snapshot: ControlSnapshotView;
  /** Resets in the ledger just before the operation. */
  readonly resetsBefore: number;
  /** Trace events of the traffic drained next that came before the operation (they come first). */
  readonly tracesBefore: number;
  /** Serving version id → responses to the requests routed before the operation (up to its window's end). */
  readonly versionsBefore: Readonly<Record<string, number>>;
}

/** Requests of a step, counted. */
export interface ResponseTally {
  requests: number;
  /** HTTP status → count. */
  readonly statuses: Record<number, number>;
  /** Id of the version that served each answered request, as the edge routed it → count ("none": the edge answered itself). */
  readonly versions: Record<string, number>;
  /** Bodies, for `request` steps only. */
  readonly bodies: string[];
  readonly failures: { resets: number; other: number; lost: number };
}

/** An empty tally. */
export function emptyTally(): ResponseTally {
  return { requests: 0, statuses: {}, versions: {}, bodies: [], failures: { resets: 0, other: 0, lost: 0 } };
}

/** The host side of a run: the simulator, the labels, and the staged versions still to record. */
export class HostRun {
  /** Label → its newest version id (what operations name). */
  readonly labels: Record<string, string> = {};
  /** Version id → the label it was made under (what expectations match). */
  readonly versionLabels: Record<string, string> = {};
  #next = 0;

  constructor(
    readonly sim: Simulator,
    readonly scenario: Scenario,
    /** The run's seed (the scenario's or `--seed`): bulk traffic draws from it too. */
    readonly seed: string,
    private readonly staged: readonly DryRunVersion[],
    private readonly specOf: (label: string) => VersionSpec,
    /** The model's upload input of a label's code (what the simulator sends for it). */
    private readonly inputOf: (label: string) => VersionInput,
  ) {}

  /** A version's label for reports: its label, or `#<number>` for a version made without one. */
  labelOf(versionId: string): string {
    return this.versionLabels[versionId] ?? versionId;
  }

  /** Runs an upload, deploy, rollback or secret step (or a traffic step's `during`). */
  async operate(step: UploadStep | DeployStep | RollbackStep | SecretStep): Promise<OperationOutcome> {
    const sim = this.sim;
    if (step.kind === "upload") {
      for (let n = 0; n < step.count; n++) {
        const uploaded = await sim.upload(this.specOf(step.label), { staged: this.#staged(step.index) });
        if (!uploaded.ok) return { refusal: uploaded.error };
        this.#made(uploaded.value, step.label);
      }
      return {};
    }
    if (step.kind === "secret") {
      const options = {
        deploy: !step.versioned,
        codeUpdate: step.codeUpdate,
        ...(step.message !== undefined && { message: step.message }),
        ...(step.label !== undefined && { label: step.label }),
      };
      const created = await sim.putSecret(step.secretName, step.value, { ...options, staged: this.#staged(step.index) });
      if (!created.ok) return { refusal: created.error };
      this.#made(created.value, step.label);
      return {};
    }
    const common = { codeUpdate: step.codeUpdate, ...(step.message !== undefined && { message: step.message }) };
    if (step.kind === "rollback") {
      const target = step.target === undefined ? {} : { to: step.target, labels: this.labels };
      const answer = await sim.rollback({ ...target, force: step.force, ...common });
      return answer.ok ? { effect: answer.value.effect } : { refusal: answer.error };
    }
    if (step.full) {
      const label = step.entries?.[0]?.label ?? step.spec;
      const answer = await sim.fullDeploy(this.specOf(label), { ...common, staged: this.#staged(step.index) });
      if (!answer.ok) return { refusal: answer.error };
      this.#made(answer.value.version, label);
      return { effect: answer.value.effect };
    }
    const answer = await sim.deploy(step.spec, { ...common, labels: { ...this.labels } });
    return answer.ok ? { effect: answer.value.effect } : { refusal: answer.error };
  }

  /** Sends a `request` step's requests from Node, one after another. */
  async request(step: RequestStep): Promise<ResponseTally> {
    const tally = emptyTally();
    const filled = fillRequest(step.request, step.request.object === undefined ? undefined : objectNameOf(step.request.object));
    const headers: Record<string, string> = filled.headers;
    if (step.request.versionKey !== undefined) headers[VERSION_KEY_HEADER] = step.request.versionKey;
    if (step.request.override !== undefined) headers[VERSION_OVERRIDES_HEADER] = this.overridesHeader(step.request.override);
    for (let n = 0; n < step.count; n++) {
      tally.requests++;
      let served: Awaited<ReturnType<Simulator["fetchServed"]>>;
      try {
        served = await this.sim.fetchServed(filled.path, { method: filled.method, headers, ...(filled.body !== undefined && { body: filled.body }) });
      } catch {
        tally.failures.lost++;
        continue;
      }
      const { response, versionId } = served;
      const body = await response.text();
      count(tally.statuses, response.status);
      count(tally.versions, versionId ?? "none");
      tally.bodies.push(body);
      if (response.status >= 500) {
        if (response.status === 503 && body.includes('"durableObjectReset":true')) tally.failures.resets++;
        else tally.failures.other++;
      }
    }
    return tally;
  }

  /** Sends `requests` of a traffic step in bulk inside workerd, into `tally`. */
  async traffic(step: TrafficStep, requests: number, part: number, tally: ResponseTally): Promise<void> {
    if (requests <= 0) return;
    addBulk(tally, await this.sim.bulk(this.#bulkSpec(step, requests, part)));
  }

  /**
   * Sends a traffic step in one bulk run inside workerd, and carries out its `during` operation
   * from there too (see `BulkDuring`): once the window holding request `afterRequests` is sent,
   * and with `holdMs` while that window's requests are held in their objects. The operation's
   * calls are the ones this host's {@link operate} makes through the simulator, with the same
   * arguments. Returns what the operation did and the control plane's state right after it.
   */
  async trafficDuring(step: TrafficStep & { during: DuringOperation }, tally: ResponseTally): Promise<DuringOutcome> {
    const during = step.during;
    const hold = during.holdMs === undefined ? {} : { holdMs: during.holdMs, delayMs: Math.floor(during.holdMs / 4) };
    const result = await this.sim.bulk({ ...this.#bulkSpec(step, step.requests, 1), during: { afterRequests: during.afterRequests, calls: this.#calls(during), ...hold } });
    addBulk(tally, result);
    const done = result.during;
    if (done === undefined) throw new Error(`internal error: the traffic of step ${step.index + 1} did not run its operation`);
    const { snapshot, resetsBefore, tracesBefore, versionsBefore } = done;
    return { outcome: this.#answered(during, done.answers), snapshot, resetsBefore, tracesBefore, versionsBefore };
  }

  /**
   * The control plane calls of an operation, with the arguments {@link Simulator}'s methods send
   * for it (as {@link operate} calls them: staged versions, the run's labels).
   */
  #calls(step: DuringOperation): ControlCall[] {
    const common = step.kind === "deploy" || step.kind === "rollback" ? { codeUpdate: step.codeUpdate, ...(step.message !== undefined && { message: step.message }) } : {};
    if (step.kind === "upload") {
      return Array.from({ length: step.count }, (_, n) => ({ method: "upload" as const, args: [this.inputOf(step.label), this.#staged(step.index, n)] }));
    }
    if (step.kind === "secret") {
      return [{ method: "putSecret", args: [{ name: step.secretName, value: step.value, deploy: !step.versioned, message: step.message, staged: this.#staged(step.index) }] }];
    }
    if (step.kind === "rollback") {
      const target = step.target === undefined ? {} : { to: step.target, labels: this.labels };
      return [{ method: "rollback", args: [{ ...target, force: step.force, ...common }] }];
    }
    if (step.full) {
      const label = step.entries?.[0]?.label ?? step.spec;
      return [{ method: "fullDeploy", args: [{ input: this.inputOf(label), ...common, staged: this.#staged(step.index) }] }];
    }
    return [{ method: "deploy", args: [{ ...common, spec: step.spec, labels: { ...this.sim.labels, ...this.labels } }] }];
  }

  /** Reads the answers of an operation's calls as {@link operate} would have returned them. */
  #answered(step: DuringOperation, answers: readonly unknown[]): OperationOutcome {
    for (const answer of answers as Result<unknown>[]) {
      if (!answer.ok) return { refusal: answer.error };
      const value = answer.value as { effect?: DeploymentEffect; version?: Version } & Partial<Version>;
      if (step.kind === "upload") this.#made(value as Version, step.label);
      else if (step.kind === "secret") this.#made(value.version!, step.label);
      else if (step.kind === "deploy" && step.full) this.#made(value.version!, step.entries?.[0]?.label ?? step.spec);
      if (value.effect !== undefined) return { effect: value.effect };
    }
    return {};
  }

  #bulkSpec(step: TrafficStep, requests: number, part: number): BulkSpec {
    return {
      requests,
      concurrency: step.concurrency,
      method: step.method,
      seed: `${this.seed}/traffic/${step.index}/${part}`,
      // Requests carry an object's name only: two classes' objects of one name get the same requests.
      ...(step.objects.length > 0 ? { objectNames: [...new Set(step.objects.map(objectNameOf))], objectPath: step.path } : { paths: [step.path] }),
      ...(Object.keys(step.headers).length > 0 && { headers: step.headers }),
      ...(step.body !== undefined && { body: step.body }),
      ...(step.keys.length > 0 && { versionKeys: step.keys }),
      ...(step.override !== undefined && { overridesHeader: this.overridesHeader(step.override) }),
    };
  }

  /** The overrides header naming a label's newest version. */
  overridesHeader(label: string): string {
    const header = formatOverridesHeader({ [this.sim.workerName]: this.labels[label] ?? label });
    return header.ok ? header.value : "";
  }

  /**
   * The version staged for the next version-creating operation (or the one `ahead` of it). None is
   * left when the dry run foresaw that this operation is refused and no later one makes a version;
   * if the host then makes one anyway, {@link #made} says so.
   */
  #staged(_stepIndex: number, ahead = 0): Version | undefined {
    return this.staged[this.#next + ahead]?.version;
  }

  #made(version: Version, label: string | undefined): void {
    const foreseen = this.staged[this.#next];
    if (foreseen?.version.id !== version.id) {
      throw new Error(`internal error: the host made version ${version.number}, which the dry run did not foresee (it foresaw ${foreseen === undefined ? "no more versions" : `version ${foreseen.version.number} at step ${foreseen.stepIndex + 1}`})`);
    }
    this.#next++;
    this.versionLabels[version.id] = label ?? `#${version.number}`;
    if (label !== undefined) this.labels[label] = version.id;
  }
}

function count<K extends string | number>(counts: Record<K, number>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Adds a bulk result: failed = thrown (never answered: lost), reset errors, other 5xx answers. */
function addBulk(tally: ResponseTally, result: BulkResult): void {
  tally.requests += result.requests;
  let serverErrors = 0;
  for (const [status, n] of Object.entries(result.byStatus)) {
    tally.statuses[Number(status)] = (tally.statuses[Number(status)] ?? 0) + n;
    if (Number(status) >= 500) serverErrors += n;
  }
  for (const [version, n] of Object.entries(result.byVersion)) tally.versions[version] = (tally.versions[version] ?? 0) + n;
  const answeredResets = Math.min(result.resetErrors, result.byStatus["503"] ?? 0);
  tally.failures.resets += result.resetErrors;
  tally.failures.other += serverErrors - answeredResets;
  tally.failures.lost += result.thrown - (result.resetErrors - answeredResets);
}
