/**
 * The scenario runner: replays a loaded {@link Scenario} on the real workerd host and returns its
 * {@link ScenarioReport}. A dry run on the model first learns every version the run will make, so
 * the simulator starts with all of them hosted and never restarts workerd mid-run; then each step
 * runs on the host and its expectations are checked against the control plane's state, the
 * responses and the trace events. The report holds no timings or absolute paths: the same
 * scenario and seed give the same report.
 *
 *   const loaded = loadScenarioFile("scenarios/01-docs-progression.yaml");
 *   if (loaded.ok) console.log((await runScenario(loaded.scenario)).report.expectations);
 */
import path from "node:path";
import type { ControlSnapshotView } from "../runtime/workers/control-api.js";
import type { TraceEvent } from "../runtime/workers/protocol.js";
import { readWorkerSource } from "../runtime/config.js";
import { DEFAULT_START_MS, Simulator, sourceOf, versionInput, type VersionSpec } from "../runtime/simulator.js";
import type { ReplayStep, ScenarioReport } from "../report/replay-report.js";
import { dryRunScenario } from "./dry-run.js";
import { checkResponses, checkState, ExpectationLog, type StepObservations, type WorldView } from "./expectations.js";
import { emptyTally, HostRun, type OperationOutcome, type ResponseTally } from "./run-host.js";
import { checkGuarantees, deploymentRows, MAX_OBJECT_COLUMNS, stepSummary, type DeploymentNotes, type ServedObservation } from "./run-report.js";
import { objectDetails } from "./object-details.js";
import type { ActionExpectation, DuringOperation, Scenario, ScenarioStep, ScenarioVersion, TrafficStep } from "./types.js";
import { SocketRegistry } from "./socket-run.js";
import { InputError } from "../model/input-error.js";
import type { ObjectRecord } from "../model/ledger.js";
import type { WorkerSource } from "../runtime/config.js";
import { formatIssue } from "./issues.js";
import { objectRefIssues, resolveObjectRef, UNKNOWN_OBJECT_CLASS, type ResolvedObject } from "./object-refs.js";

/** How to run a scenario. */
export interface RunOptions {
  /** Replaces the scenario's seed. */
  readonly seed?: string;
  /** The file name the report shows (default: the scenario's path relative to the working directory). */
  readonly file?: string;
}

/** A replayed scenario: its report and every trace event of the run. */
export interface ScenarioRun {
  readonly report: ScenarioReport;
  readonly traces: readonly TraceEvent[];
}

/** The simulator's spec of a declared version (of the config's environment `env`, when one is named). */
export function versionSpec(version: ScenarioVersion, env?: string): VersionSpec {
  return {
    label: version.label,
    tag: version.tag,
    ...(version.message !== undefined && { message: version.message }),
    vars: version.vars,
    secrets: version.secrets,
    ...(version.config !== undefined && { config: version.config }),
    ...(version.main !== undefined && { main: version.main }),
    ...(env !== undefined && { env }),
    ...(version.migrations.length > 0 && { migrationTag: version.migrations[version.migrations.length - 1]!.tag, migrations: version.migrations }),
  };
}

/** Replays `scenario` on a fresh simulator and reports it. */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const seed = options.seed ?? scenario.seed;
  const base = readWorkerSource(scenario.workerConfig);
  const file = options.file ?? path.relative(process.cwd(), scenario.file).split(path.sep).join("/");
  const objects = objectResolver(scenario, base, file);
  const specs = new Map(scenario.versions.map((version) => [version.label, versionSpec(version)]));
  const specOf = (label: string): VersionSpec => specs.get(label) ?? { label };
  const inputs = new Map<string, ReturnType<typeof versionInput>>();
  const inputOf = (label: string) => inputs.get(label) ?? inputs.set(label, versionInput(sourceOf(base, specOf(label)), specOf(label))).get(label)!;
  const dryRun = dryRunScenario(scenario, { seed, startMs: DEFAULT_START_MS, workerName: base.name, limits: scenario.limits, inputOf });
  const sim = await Simulator.start({
    config: scenario.workerConfig,
    seed,
    startMs: DEFAULT_START_MS,
    limits: scenario.limits,
    staged: dryRun.versions.map((made) => ({ version: made.version, spec: specOf(made.codeLabel), deployed: dryRun.deployed.has(made.version.id) })),
  });
  try {
    const runner = new StepRunner(new HostRun(sim, scenario, seed, dryRun.versions, specOf, inputOf), objects);
    return await runner.run(file);
  } finally {
    await sim.close();
  }
}

/**
 * Resolves the scenario's object references against the Durable Object bindings of every config
 * its versions run (the first config's first class is the default); a reference to a class or
 * binding none of them has is an input error naming where it was written.
 */
function objectResolver(scenario: Scenario, base: WorkerSource, file: string): (ref: string) => ResolvedObject {
  const bindings = [...base.durableObjects];
  for (const config of new Set(scenario.versions.flatMap((version) => (version.config === undefined ? [] : [version.config])))) {
    for (const binding of readWorkerSource(config).durableObjects) if (!bindings.some((known) => known.binding === binding.binding && known.className === binding.className)) bindings.push(binding);
  }
  const issues = objectRefIssues(scenario, bindings, file);
  if (issues.length > 0) throw new InputError(UNKNOWN_OBJECT_CLASS, issues.map((issue) => formatIssue(issue)).join("; "));
  return (ref) => {
    const resolved = resolveObjectRef(ref, bindings);
    if ("error" in resolved) throw new InputError(UNKNOWN_OBJECT_CLASS, resolved.error);
    return resolved;
  };
}

/** Where a traffic step's observations change deployment: its first `traces` events and `versions` responses came before. */
interface TrafficSplit {
  readonly traces: number;
  /** Serving version id → responses routed before the operation. */
  readonly versions: Readonly<Record<string, number>>;
  readonly deploymentIndex: number;
}

/** Runs the steps one by one, keeping what the report and the expectations need. */
class StepRunner {
  readonly #log = new ExpectationLog();
  readonly #steps: ReplayStep[] = [];
  readonly #notes: DeploymentNotes = { steps: new Map(), deferred: new Map(), served: new Map() };
  readonly #served: ServedObservation[] = [];
  readonly #names = new Map<string, string>();
  #world!: ControlSnapshotView;
  #tracesSeen = 0;
  #requests = 0;
  #errors = 0;
  #objectsDeclared = false;
  readonly #sockets = new SocketRegistry();

  constructor(
    private readonly host: HostRun,
    /** An object reference → its class and name. */
    private readonly resolve: (ref: string) => ResolvedObject,
  ) {}

  async run(file: string): Promise<ScenarioRun> {
    const { scenario, sim } = this.host;
    this.#world = await sim.snapshot();
    let resetsBeforeLast = 0;
    let current = 0;
    try {
      for (const step of scenario.steps) {
        current = step.index + 1;
        const before = this.#world.ledger.resets.length;
        await this.#step(step);
        this.#world = await sim.snapshot();
        const expect = step.expect;
        if (expect !== undefined) checkState(this.#log, current, "", expect, this.#view(), step.kind === "expect" ? resetsBeforeLast : before);
        if (step.kind !== "expect") resetsBeforeLast = before;
      }
    } catch (error) {
      // An internal error (the host diverged from the dry run, workerd failed): fail loudly, keep what ran.
      const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      this.#log.add(current, "run", "completes", "internal error", false, message);
      this.#world = await sim.snapshot().catch(() => this.#world);
    }
    this.#sockets.closeAll();
    const state = { worker: this.#world.worker, ledger: this.#world.ledger, objects: scenario.objects, objectId: (name: string) => this.#objectId(name), labelOf: (id: string) => this.host.labelOf(id) };
    checkGuarantees(this.#log, scenario.guarantees, state, this.#served, this.#notes.steps);
    const report: ScenarioReport = {
      name: scenario.name,
      file,
      ...(scenario.description !== undefined && { description: scenario.description }),
      seed: this.host.seed,
      objects: scenario.objects.length <= MAX_OBJECT_COLUMNS ? scenario.objects : [],
      versions: this.#world.worker.versions.map((version) => ({ label: this.host.labelOf(version.id), id: version.id, ...(version.tag !== undefined && { tag: version.tag }) })),
      steps: this.#steps,
      deployments: deploymentRows(state, this.#notes),
      objectDetails: objectDetails(state, this.#notes, scenario.objects.length <= MAX_OBJECT_COLUMNS ? scenario.objects : [], DEFAULT_START_MS),
      expectations: this.#log.items,
      totals: { resets: this.#world.ledger.resets.length, requests: this.#requests, errors: this.#errors },
      simulatorEvents: sim.events.map((event) => `${event.type}: ${event.reason} (${event.instancesLost} live instance(s) lost)`),
    };
    return { report, traces: [...(await sim.traces())] };
  }

  async #step(step: ScenarioStep): Promise<void> {
    const { sim } = this.host;
    const number = step.index + 1;
    const summary = stepSummary(step);
    if (step.kind === "upload" || step.kind === "deploy" || step.kind === "rollback" || step.kind === "secret") {
      const outcome = await this.#operate(step, number, "", step.expect);
      this.#steps.push({ step: number, kind: step.kind, summary, ...(outcome.refusal !== undefined && { refused: { code: outcome.refusal.code, message: outcome.refusal.message } }) });
      return;
    }
    this.#steps.push({ step: number, kind: step.kind, summary });
    if (step.kind === "request") {
      const tally = await this.host.request(step);
      await this.#responses(number, step.expect, tally);
    } else if (step.kind === "traffic") {
      const tally = emptyTally();
      let observed: StepObservations | undefined;
      if (step.during === undefined) await this.host.traffic(step, step.requests, 1, tally);
      else observed = await this.#trafficDuring({ ...step, during: step.during }, number, tally);
      await this.#responses(number, step.expect, tally, observed);
    } else if (step.kind === "wait") {
      await sim.advance(step.durationMs);
    } else if (step.kind === "idle") {
      for (const name of step.objects) await sim.idle(this.#objectId(name));
    } else if (step.kind === "socket") {
      await this.#sockets.run(sim, this.#log, number, step);
    }
  }

  /**
   * A traffic step with an operation carried out from inside its bulk run (see
   * `HostRun.trafficDuring`); the operation is checked on its own (`during.` expectations)
   * against the state right after it.
   */
  async #trafficDuring(step: TrafficStep & { during: DuringOperation }, number: number, tally: ResponseTally): Promise<StepObservations> {
    const deploymentsBefore = this.#world.worker.deployments.length;
    const done = await this.host.trafficDuring(step, tally);
    this.#recordOutcome(done.outcome, number, "during.", step.during.expect, deploymentsBefore, done.snapshot);
    if (step.during.expect !== undefined) checkState(this.#log, number, "during.", step.during.expect, this.#view(), done.resetsBefore);
    // Trace events and responses up to the operation's window belong to the deployment before it.
    return this.#drainTraces(tally, { traces: done.tracesBefore, versions: done.versionsBefore, deploymentIndex: deploymentsBefore - 1 });
  }

  /** Runs an operation, checks its refusal, and notes the deployment it made. */
  async #operate(step: Parameters<HostRun["operate"]>[0], number: number, prefix: string, expect: ActionExpectation | undefined): Promise<OperationOutcome> {
    const deploymentsBefore = this.#world.worker.deployments.length;
    // What ran before the operation (a socket's opening request, an alarm during a wait) belongs
    // to the deployment before it, so it is drained now rather than at the next request.
    await this.#drainTraces(emptyTally());
    const outcome = await this.host.operate(step);
    if (outcome.refusal !== undefined) {
      this.#recordOutcome(outcome, number, prefix, expect, deploymentsBefore, this.#world);
      return outcome;
    }
    this.#recordOutcome(outcome, number, prefix, expect, deploymentsBefore, await this.host.sim.snapshot());
    if (deploymentsBefore === 0 && this.#world.worker.deployments.length > 0 && !this.#objectsDeclared) {
      this.#objectsDeclared = true;
      await this.#declare(this.host.scenario.objects);
      this.#world = await this.host.sim.snapshot();
    }
    return outcome;
  }

  /** Checks an operation's refusal, notes the deployments it made, and takes `after` as the world. */
  #recordOutcome(outcome: OperationOutcome, number: number, prefix: string, expect: ActionExpectation | undefined, deploymentsBefore: number, after: ControlSnapshotView): void {
    const code = outcome.refusal?.code;
    if (expect?.refused !== undefined) {
      this.#log.add(number, `${prefix}refused`, expect.refused, code ?? "not refused", code === expect.refused, code === undefined ? "The step was not refused." : `The step was refused with ${code}: ${outcome.refusal!.message}`);
    } else if (outcome.refusal !== undefined) {
      this.#log.add(number, `${prefix}refused`, "not refused", code, false, `The platform refused the step: ${outcome.refusal.message}`);
    }
    if (outcome.refusal !== undefined) return;
    for (const deployment of after.worker.deployments.slice(deploymentsBefore)) this.#notes.steps.set(deployment.id, number);
    if (outcome.effect !== undefined && outcome.effect.deferred.length > 0) {
      this.#notes.deferred.set(outcome.effect.deploymentId, new Set(outcome.effect.deferred.map((entry) => entry.objectId)));
    }
    this.#world = after;
  }

  /**
   * Drains new trace events: observations of objects (the version dosim saw run each call), errors
   * per label; counts served requests.
   */
  async #drainTraces(tally: ResponseTally, split?: TrafficSplit): Promise<StepObservations> {
    const all = await this.host.sim.traces();
    const fresh = all.slice(this.#tracesSeen);
    this.#tracesSeen = all.length;
    // Every operation leaves its snapshot as the world, so it knows the current deployment.
    const current = this.#world.worker.deployments.length - 1;
    const errors: Record<string, number> = {};
    const objects: Record<string, Record<string, number>> = {};
    let firstException: StepObservations["firstException"];
    for (const [position, event] of fresh.entries()) {
      const deploymentIndex = split !== undefined && position < split.traces ? split.deploymentIndex : current;
      if (event.DurableObject !== undefined) {
        const objectId = event.DurableObject.Id;
        this.#served.push({ objectId, deploymentIndex, versionId: event.ScriptVersion.id });
        const versions = (objects[objectId] ??= {});
        versions[event.ScriptVersion.id] = (versions[event.ScriptVersion.id] ?? 0) + 1;
      }
      if (event.Outcome === "exception") {
        const label = this.host.labelOf(event.ScriptVersion.id);
        errors[label] = (errors[label] ?? 0) + 1;
        this.#errors++;
        const thrown = event.Exceptions[0];
        if (firstException === undefined && thrown !== undefined) firstException = { label, name: thrown.Name, message: thrown.Message };
      }
    }
    const served = (index: number, version: string, n: number): void => {
      const counts = this.#notes.served.get(index) ?? {};
      counts[version] = (counts[version] ?? 0) + n;
      this.#notes.served.set(index, counts);
    };
    for (const [version, n] of Object.entries(tally.versions)) {
      const before = split?.versions[version] ?? 0;
      if (before > 0) served(split!.deploymentIndex, version, before);
      if (n > before) served(current, version, n - before);
    }
    return { errors, objects, ...(firstException !== undefined && { firstException }) };
  }

  async #responses(number: number, expect: Parameters<typeof checkResponses>[2] | undefined, tally: ResponseTally, drained?: StepObservations): Promise<void> {
    const observed = drained ?? (await this.#drainTraces(tally));
    this.#requests += tally.requests;
    if (expect === undefined) return;
    this.#world = await this.host.sim.snapshot();
    checkResponses(this.#log, number, expect, tally, observed, this.#view());
  }

  /** Declares objects to the control plane, class by class, in the order written. */
  async #declare(refs: readonly string[]): Promise<void> {
    const byClass = new Map<string, string[]>();
    for (const ref of refs) {
      const { className, name } = this.resolve(ref);
      this.#objectId(ref);
      byClass.set(className, [...(byClass.get(className) ?? []), name]);
    }
    for (const [className, names] of byClass) await this.host.sim.declareObjects(names, className);
  }

  #objectId(ref: string): string {
    const { className, name } = this.resolve(ref);
    const id = this.host.sim.objectId(name, className);
    if (!this.#names.has(id)) this.#names.set(id, ref);
    return id;
  }

  #view(): WorldView {
    return {
      worker: this.#world.worker,
      ledger: this.#world.ledger,
      labelOf: (id) => this.host.labelOf(id),
      objectId: (name) => this.#objectId(name),
      objectName: (record) => this.#names.get(record.id) ?? qualifiedName(record, this.#world.classes[record.id], this.resolve),
    };
  }
}

/** An object the scenario never named, for reports: its name, with its class unless it is the default one. */
function qualifiedName(record: ObjectRecord, className: string | undefined, resolve: (ref: string) => ResolvedObject): string {
  const name = record.name ?? record.id;
  if (className === undefined || record.name === undefined || name.includes(":")) return className === undefined ? name : `${className}:${name}`;
  return resolve(name).className === className ? name : `${className}:${name}`;
}
