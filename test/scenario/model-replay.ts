/**
 * A scenario replayed on the pure model alone (no workerd): versions, deployments, the reset
 * ledger and the virtual clock. It checks the expectations the model can decide (refusals, the
 * active deployment, object assignments, running versions, live objects, resets, and the version
 * that serves an object or a keyed/overridden request) and skips the rest (bodies, shares,
 * traces). It shows that a runner can drive the model straight from a loaded Scenario, and it
 * keeps the shipped scenarios' numbers honest until the real runner replays them.
 */
import { createRequestRouter } from "../../src/model/request-routing.js";
import { deployVersions, fullDeploy, type DeployOutcome } from "../../src/model/deploy.js";
import type { Result } from "../../src/model/errors.js";
import { advanceLedger, applyDeployment, emptyLedger, knowObject, objectIdle, touchObject } from "../../src/model/ledger.js";
import { createObjectIdFactory } from "../../src/model/object-ids.js";
import { objectSlotFromId } from "../../src/model/object-slots.js";
import { rollback } from "../../src/model/rollback.js";
import { putSecret, putVersionSecret } from "../../src/model/secrets.js";
import { activeDeployment, emptyWorker, type Deployment, type ModelContext, type WorkerState } from "../../src/model/types.js";
import { uploadVersion, type VersionInput } from "../../src/model/versions.js";
import type { ActionExpectation, CountRange, DuringOperation, Scenario, ScenarioStep, StateExpectation } from "../../src/scenario/types.js";

/** The example config's own migrations (./wrangler.toml declares v1). */
const CONFIG_MIGRATIONS = ["v1"];

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
  const ctx = (): ModelContext => ({ nowMs, newId: () => `v-${++counter}` });
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
  const deployed = (outcome: DeployOutcome): void => {
    worker = outcome.state;
    const first = ledger.deployment === undefined;
    applyDeployment(ledger, outcome.deployment, nowMs);
    if (first) scenario.objects.forEach(objectId);
  };

  /** Runs an operation; returns its refusal code, if any. */
  const operate = (step: ScenarioStep): string | undefined => {
    let result: Result<unknown> = { ok: true, value: undefined };
    if (step.kind === "upload") {
      for (let n = 0; n < step.count && result.ok; n++) {
        const uploaded = uploadVersion(worker, input(step.label), ctx(), scenario.limits);
        result = uploaded;
        if (uploaded.ok) {
          worker = uploaded.value.state;
          bind(step.label, uploaded.value.version.id);
        }
      }
    } else if (step.kind === "deploy") {
      const options = { codeUpdate: step.codeUpdate, labels, ...(step.message !== undefined && { message: step.message }) };
      const label = step.entries?.[0]?.label ?? "";
      const outcome = step.full ? fullDeploy(worker, input(label), ctx(), options, scenario.limits) : deployVersions(worker, step.spec, ctx(), options, scenario.limits);
      result = outcome;
      if (outcome.ok) {
        if (step.full) bind(label, outcome.value.version!.id);
        deployed(outcome.value);
      }
    } else if (step.kind === "rollback") {
      const target = step.target === undefined ? {} : { versionId: labels[step.target] ?? step.target };
      const outcome = rollback(worker, { ...target, force: step.force, codeUpdate: step.codeUpdate, ...(step.message !== undefined && { message: step.message }) }, ctx(), scenario.limits);
      result = outcome;
      if (outcome.ok) deployed(outcome.value);
    } else if (step.kind === "secret") {
      const outcome = step.versioned ? putVersionSecret(worker, step.secretName, step.value, ctx(), {}, scenario.limits) : putSecret(worker, step.secretName, step.value, ctx(), scenario.limits);
      result = outcome;
      if (outcome.ok) {
        worker = outcome.value.state;
        if (step.label !== undefined) bind(step.label, outcome.value.version.id);
        if (outcome.value.deployment !== undefined) deployed({ state: worker, deployment: outcome.value.deployment });
      }
    }
    return result.ok ? undefined : result.error.code;
  };

  const check = (where: string, expect: (StateExpectation & ActionExpectation) | undefined, refusal: string | undefined, resetsBefore: number): void => {
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
  };

  let resetsBeforeLast = 0;
  for (const step of scenario.steps) {
    const where = `steps[${step.index}] (${step.kind}, line ${step.at.line})`;
    const before = ledger.resets.length;
    let refusal: string | undefined;
    if (step.kind === "request") {
      const object = /^\/objects\/([^/]+)$/.exec(step.request.path)?.[1];
      for (let n = 0; n < step.count; n++) {
        let served: string | undefined;
        if (object !== undefined) served = labelOf(touchObject(ledger, objectId(decodeURIComponent(object)), nowMs).versionId);
        else if (step.request.override !== undefined || step.request.versionKey !== undefined) {
          const overrides = step.request.override === undefined ? null : `hello="${labels[step.request.override]}"`;
          served = labelOf(createRequestRouter(activeDeployment(worker)!, "hello")({ overridesHeader: overrides, versionKey: step.request.versionKey ?? null, random: () => 0.5 }).versionId);
        }
        if (served !== undefined && step.expect?.version !== undefined && served !== step.expect.version) failures.push(`${where}: served by ${served}, expected ${step.expect.version}`);
      }
    } else if (step.kind === "traffic") {
      step.objects.forEach((name) => touchObject(ledger, objectId(name), nowMs));
      if (step.during !== undefined) replayDuring(step.during, where);
    } else if (step.kind === "wait") {
      nowMs += step.durationMs;
      advanceLedger(ledger, nowMs);
    } else if (step.kind === "idle") {
      step.objects.forEach((name) => objectIdle(ledger, objectId(name), nowMs));
    } else if (step.kind !== "expect") {
      refusal = operate(step);
    }
    const stepStart = step.kind === "expect" ? resetsBeforeLast : before;
    check(where, step.expect, refusal, stepStart);
    if (step.kind !== "expect") resetsBeforeLast = before;
  }
  return failures;

  function replayDuring(during: DuringOperation, where: string): void {
    const before = ledger.resets.length;
    const refusal = operate(during);
    check(`${where} during`, during.expect, refusal, before);
  }
}
