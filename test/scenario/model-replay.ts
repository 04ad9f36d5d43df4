/**
 * A scenario replayed on the pure model alone (no workerd): versions, deployments, the reset
 * ledger and the virtual clock. It checks the expectations the model can decide (refusals, the
 * active deployment, object assignments, running versions, live objects, resets, the version each
 * object ran on, and the version that serves a request when no seeded draw decides it) and skips the rest (bodies, shares,
 * traces). Operations go through src/scenario/operations.ts, the step → model mapping the dry run
 * uses, so a step means one thing everywhere; what this adds is the ledger, the clock, requests and
 * the expectation checks. It keeps the shipped scenarios' numbers honest without workerd.
 */
import { createRequestRouter } from "../../src/model/request-routing.js";
import { advanceLedger, applyDeployment, emptyLedger, knowObject, objectIdle, touchObject, type LedgerState } from "../../src/model/ledger.js";
import { createObjectIdFactory } from "../../src/model/object-ids.js";
import { objectSlotFromId } from "../../src/model/object-slots.js";
import { activeDeployment, emptyWorker, type Deployment, type ModelContext, type WorkerState } from "../../src/model/types.js";
import type { VersionInput } from "../../src/model/versions.js";
import { isOperationStep, runOperation, type OperationStep } from "../../src/scenario/operations.js";
import type { ActionExpectation, CountRange, DuringOperation, RequestStep, Scenario, StateExpectation } from "../../src/scenario/types.js";

/** The example config's own migrations (./wrangler.toml declares v1). */
const CONFIG_MIGRATIONS = ["v1"];

/** What {@link check} reads of a replay in progress. */
interface ReplayView {
  readonly failures: string[];
  readonly ledger: LedgerState;
  readonly worker: WorkerState;
  readonly labelOf: (versionId: string) => string;
  readonly objectId: (name: string) => string;
}

/** Replays `scenario`; returns one sentence per expectation that did not hold. */
export function replayOnModel(scenario: Scenario): string[] {
  const failures: string[] = [];
  const ids = createObjectIdFactory("hello-Counter");
  const ledger = emptyLedger();
  /** Label → its newest version (what operations name); version → its label (what expectations match). */
  const labels: Record<string, string> = {};
  const versionLabels: Record<string, string> = {};
  const bind = (label: string, versionId: string): void => {
    labels[label] = versionId;
    versionLabels[versionId] = label;
  };
  let worker: WorkerState = emptyWorker("hello");
  let nowMs = 0;
  let counter = 0;
  const ctx = (_makesVersion: boolean): ModelContext => ({ nowMs, newId: () => `v-${++counter}` });
  const objectId = (name: string): string => {
    const id = ids.idFromName(name);
    if (ledger.objects[id] === undefined && ledger.deployment !== undefined) knowObject(ledger, { id, name, slot: objectSlotFromId(id) });
    return id;
  };
  const labelOf = (versionId: string): string => versionLabels[versionId] ?? versionId;
  const input = (label: string): VersionInput => {
    const version = scenario.versions.find((declared) => declared.label === label)!;
    const migrations = [...CONFIG_MIGRATIONS, ...version.migrations.map((migration) => migration.tag)];
    return { tag: version.tag, vars: version.vars, secrets: version.secrets, migrationTag: migrations.at(-1)!, source: label, ...(version.message !== undefined && { message: version.message }) };
  };
  const deployed = (deployment: Deployment): void => {
    const first = ledger.deployment === undefined;
    applyDeployment(ledger, deployment, nowMs);
    if (first) scenario.objects.forEach(objectId);
  };

  /** Runs an operation through the scenario runner's own step → model mapping; returns its refusal code, if any. */
  const operate = (step: OperationStep): string | undefined => {
    const outcome = runOperation(worker, step, {
      limits: scenario.limits,
      labels,
      inputOf: input,
      ctx,
      onVersion: (made) => {
        if (made.label !== undefined) bind(made.label, made.version.id);
      },
    });
    worker = outcome.state;
    if (outcome.deployment !== undefined) deployed(outcome.deployment);
    return outcome.error?.code;
  };

  const view = (): ReplayView => ({ failures, ledger, worker, labelOf, objectId });

  let resetsBeforeLast = 0;
  for (const step of scenario.steps) {
    const where = `steps[${step.index}] (${step.kind}, line ${step.at.line})`;
    const before = ledger.resets.length;
    let refusal: string | undefined;
    if (step.kind === "request") {
      replayRequests(step, where);
    } else if (step.kind === "traffic") {
      step.objects.forEach((name) => touchObject(ledger, objectId(name), nowMs));
      if (step.during !== undefined) replayDuring(step.during, where);
    } else if (step.kind === "wait") {
      nowMs += step.durationMs;
      advanceLedger(ledger, nowMs);
    } else if (step.kind === "idle") {
      step.objects.forEach((name) => objectIdle(ledger, objectId(name), nowMs));
    } else if (isOperationStep(step)) {
      refusal = operate(step);
    }
    const stepStart = step.kind === "expect" ? resetsBeforeLast : before;
    check(view(), where, step.expect, refusal, stepStart);
    if (step.kind !== "expect") resetsBeforeLast = before;
  }
  return failures;

  /**
   * Sends a request step's requests: to the Worker through the router (checked against `version`
   * when the choice does not depend on the seeded draw) and, for the example's `/objects/<name>`,
   * to the object through the ledger (checked against `served`).
   */
  function replayRequests(step: RequestStep, where: string): void {
    const object = /^\/objects\/([^/]+)$/.exec(step.request.path)?.[1];
    const { override, versionKey } = step.request;
    for (let n = 0; n < step.count; n++) {
      if (object !== undefined) {
        const name = decodeURIComponent(object);
        const ran = labelOf(touchObject(ledger, objectId(name), nowMs).versionId);
        const wanted = step.expect?.served?.[name];
        if (wanted !== undefined && ran !== wanted) failures.push(`${where}: ${name} ran on ${ran}, expected ${wanted}`);
      }
      const deployment = activeDeployment(worker)!;
      if (override === undefined && versionKey === undefined && !deployment.entries.some((entry) => entry.percentage === 100)) continue;
      const overridesHeader = override === undefined ? null : `hello="${labels[override]}"`;
      const router = createRequestRouter(deployment, "hello");
      const served = labelOf(router({ overridesHeader, versionKey: versionKey ?? null, random: () => 0.5 }).versionId);
      if (step.expect?.version !== undefined && served !== step.expect.version) failures.push(`${where}: served by ${served}, expected ${step.expect.version}`);
    }
  }

  function replayDuring(during: DuringOperation, where: string): void {
    const before = ledger.resets.length;
    const refusal = operate(during);
    check(view(), `${where} during`, during.expect, refusal, before);
  }
}

/** Checks one step's expectations against the replay's state; appends a sentence per miss to `failures`. */
function check(replay: ReplayView, where: string, expect: (StateExpectation & ActionExpectation) | undefined, refusal: string | undefined, resetsBefore: number): void {
  const { failures, ledger, worker, labelOf, objectId } = replay;
  const fail = (what: string): void => void failures.push(`${where}: ${what}`);
  if (refusal !== expect?.refused) fail(`refused ${refusal ?? "nothing"}, expected ${expect?.refused ?? "nothing"}`);
  if (expect === undefined) return;
  const active = activeDeployment(worker);
  const spec = (deployment: Deployment | undefined): string => deployment?.entries.map((entry) => `${labelOf(entry.versionId)}@${entry.percentage}`).join(",") ?? "none";
  if (expect.deployment !== undefined) {
    const wanted = expect.deployment.map((entry) => `${entry.label}@${entry.percentage}`).join(",");
    if (spec(active) !== wanted) fail(`deployment ${spec(active)}, expected ${wanted}`);
  }
  for (const [name, label] of Object.entries(expect.objects ?? {})) {
    const got = labelOf(ledger.objects[objectId(name)]!.assigned);
    if (got !== label) fail(`${name} assigned ${got}, expected ${label}`);
  }
  for (const [name, label] of Object.entries(expect.running ?? {})) {
    const got = labelOf(ledger.objects[objectId(name)]!.running);
    if (got !== label) fail(`${name} runs ${got}, expected ${label}`);
  }
  if (expect.live !== undefined) {
    const live = Object.values(ledger.objects).filter((record) => record.live).map((record) => record.name).sort();
    if (live.join(",") !== [...expect.live].sort().join(",")) fail(`live [${live.join(", ")}], expected [${expect.live.join(", ")}]`);
  }
  const resets = expect.resets;
  const count = (label: string, actual: number, range: CountRange | undefined): void => {
    if (range !== undefined && (actual < range.min || (range.max !== undefined && actual > range.max))) fail(`${label} ${actual}, expected ${JSON.stringify(range)}`);
  };
  count("resets in all", ledger.resets.length, resets?.total);
  count("resets by the step", ledger.resets.length - resetsBefore, resets?.step);
  for (const [name, range] of Object.entries(resets?.perObject ?? {})) {
    const id = objectId(name);
    count(`resets of ${name}`, ledger.resets.filter((reset) => reset.objectId === id).length, range);
  }
}
