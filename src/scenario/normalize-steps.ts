/**
 * Steps as written → as a runner reads them, in file order so that order checks (deploy before
 * request, declare a label before naming it) follow the run.
 */
import { LATEST_VIRTUAL_TIME_MS, LATEST_VIRTUAL_TIME_TEXT } from "../model/clock.js";
import { DEFAULT_START_MS } from "../runtime/simulator-types.js";
import type { CheckContext, Path } from "./check-context.js";
import { parseDurationMs } from "./duration.js";
import { responsesExpectation, stateExpectation } from "./normalize-expect.js";
import { deployStep, requireDeployed, rollbackStep, secretStep, uploadStep, type Progress, type StepHead } from "./normalize-operations.js";
import type { StepFile } from "./schema.js";
import { socketStep } from "./socket-step.js";
import type { DuringOperation, RequestStep, ScenarioStep, TrafficStep } from "./types.js";
import { templateUsesName, type RequestTemplate, type TemplateBody } from "../runtime/workers/request-template.js";

/** Requests in flight at once when a traffic step does not say (the runtime's bulk default). */
export const DEFAULT_TRAFFIC_CONCURRENCY = 32;

/** The shortest `during.hold`: the runner starts the operation a quarter into it (see run-host.ts). */
export const MIN_HOLD_MS = 100;

type Of<K extends string> = Extract<StepFile, Record<K, unknown>>;
type DuringFile = NonNullable<Of<"traffic">["during"]>;

/** Normalises every step; `objects` are the scenario's declared object names. */
export function normaliseSteps(
  ctx: CheckContext,
  steps: readonly (StepFile | undefined)[],
  progress: Progress,
  objects: readonly string[],
  rawSteps: readonly unknown[],
): ScenarioStep[] {
  const names = new Map<string, number>();
  const normalised: ScenarioStep[] = [];
  let clockMs = DEFAULT_START_MS;
  steps.forEach((step, index) => {
    const path = ["steps", index];
    if (step === undefined) {
      skipStep(ctx, progress, rawSteps[index]);
      return;
    }
    if (step.name !== undefined) {
      const earlier = names.get(step.name);
      if (earlier !== undefined) ctx.report([...path, "name"], `steps[${earlier}] already has the name "${step.name}"; step names are unique`, "duplicate-name");
      else names.set(step.name, index);
    }
    const head: StepHead = { index, at: ctx.location(path), ...(step.name !== undefined && { name: step.name }) };
    const made = normaliseStep(ctx, progress, head, step, path, objects);
    if (made.kind === "wait") clockMs = checkClock(ctx, clockMs, made.durationMs, [...path, "wait"]);
    normalised.push(made);
  });
  return normalised;
}

/**
 * Moves the scenario's virtual clock by a wait; reports the wait that takes it past the latest time
 * it can show (every later wait then counts from there, so one mistake is reported once).
 */
function checkClock(ctx: CheckContext, clockMs: number, durationMs: number, path: Path): number {
  if (clockMs + durationMs <= LATEST_VIRTUAL_TIME_MS) return clockMs + durationMs;
  const leftMs = LATEST_VIRTUAL_TIME_MS - clockMs;
  ctx.report(path, `this wait takes the virtual clock past ${LATEST_VIRTUAL_TIME_TEXT}, the latest time it can show; the waits may add up to at most ${leftMs} ms more here`, "invalid-value");
  return clockMs;
}

/** A step that failed the schema: keep the label it would make, and stop guessing about order. */
function skipStep(ctx: CheckContext, progress: Progress, raw: unknown): void {
  progress.lenient = true;
  progress.deployed = true;
  const label = (raw as { secret?: unknown; label?: unknown } | null)?.label;
  if (typeof raw === "object" && raw !== null && "secret" in raw && typeof label === "string" && !ctx.labels.includes(label)) ctx.labels.push(label);
}

function normaliseStep(ctx: CheckContext, progress: Progress, head: StepHead, step: StepFile, path: Path, objects: readonly string[]): ScenarioStep {
  if ("upload" in step) return uploadStep(ctx, progress, head, step, path);
  if ("deploy" in step) return deployStep(ctx, progress, head, step, path);
  if ("rollback" in step) return rollbackStep(ctx, progress, head, step, path);
  if ("secret" in step) return secretStep(ctx, progress, head, step, path);
  if ("request" in step) return requestStep(ctx, progress, head, step, path);
  if ("traffic" in step) return trafficStep(ctx, progress, head, step, path, objects);
  if ("wait" in step) {
    const expect = step.expect === undefined ? undefined : stateExpectation(ctx, step.expect, [...path, "expect"]);
    return { kind: "wait", ...head, durationMs: parseDurationMs(step.wait) ?? 0, ...(expect !== undefined && { expect }) };
  }
  if ("socket" in step) return socketStep(ctx, progress, head, step, path);
  if ("idle" in step) {
    const expect = step.expect === undefined ? undefined : stateExpectation(ctx, step.expect, [...path, "expect"]);
    requireDeployed(ctx, progress, [...path, "idle"], "an idle step");
    const objects = typeof step.idle === "string" ? [step.idle] : step.idle;
    objects.forEach((ref, index) => ctx.objectRef(ref, typeof step.idle === "string" ? [...path, "idle"] : [...path, "idle", index]));
    return { kind: "idle", ...head, objects, ...(expect !== undefined && { expect }) };
  }
  return { kind: "expect", ...head, expect: stateExpectation(ctx, step.expect, [...path, "expect"]) };
}

function requestStep(ctx: CheckContext, progress: Progress, head: StepHead, step: Of<"request">, path: Path): RequestStep {
  requireDeployed(ctx, progress, [...path, "request"], "a request");
  if (step.override !== undefined) ctx.checkLabel(step.override, [...path, "override"]);
  const template = requestTemplate(ctx, { ...step, path: step.request }, path);
  if (step.object !== undefined) {
    ctx.objectRef(step.object, [...path, "object"]);
    if (!templateUsesName(template)) ctx.report([...path, "object"], "the object's name goes where the request says {name}; put {name} in the path (e.g. /rooms/{name}), a header or the body", "invalid-value", "key");
  } else if (templateUsesName(template)) {
    ctx.report([...path, "request"], "{name} stands for an object's name; say which object with object: <name>", "missing-key");
  }
  const expect = responsesExpectation(ctx, step.expect, [...path, "expect"]);
  return {
    kind: "request",
    ...head,
    request: {
      ...template,
      ...(step.object !== undefined && { object: step.object }),
      ...(step.versionKey !== undefined && { versionKey: step.versionKey }),
      ...(step.override !== undefined && { override: step.override }),
    },
    count: step.count ?? 1,
    ...(expect !== undefined && { expect }),
  };
}

function trafficStep(ctx: CheckContext, progress: Progress, head: StepHead, step: Of<"traffic">, path: Path, declared: readonly string[]): TrafficStep {
  requireDeployed(ctx, progress, [...path, "traffic"], "traffic");
  let objects: readonly string[] = [];
  if (step.objects === "all") {
    if (declared.length === 0) ctx.report([...path, "objects"], "objects: all needs objects declared at the top of the scenario", "invalid-value");
    objects = declared;
  } else if (step.objects !== undefined) {
    objects = step.objects;
    objects.forEach((ref, index) => ctx.objectRef(ref, [...path, "objects", index]));
  }
  const toObjects = step.objects !== undefined;
  const template = requestTemplate(ctx, { ...step, path: step.path ?? (toObjects ? DEFAULT_OBJECT_PATH : "/") }, path);
  if (toObjects && !templateUsesName(template)) {
    ctx.report([...path, "path"], "requests to objects must carry the object's name: put {name} in the path (e.g. /rooms/{name}), a header or the body", "invalid-value", step.path === undefined ? "key" : "value");
  } else if (!toObjects && templateUsesName(template)) {
    ctx.report([...path, "traffic"], "{name} stands for an object's name; say which objects with objects: [...] (or all)", "missing-key", "key");
  }
  if (step.override !== undefined) ctx.checkLabel(step.override, [...path, "override"]);
  const keys = typeof step.keys === "number" ? Array.from({ length: step.keys }, (_, index) => `key-${index + 1}`) : (step.keys ?? []);
  const during = step.during === undefined ? undefined : duringOperation(ctx, progress, head, step.during, [...path, "during"], step.traffic);
  const expect = responsesExpectation(ctx, step.expect, [...path, "expect"]);
  return {
    kind: "traffic",
    ...head,
    requests: step.traffic,
    ...template,
    keys,
    objects,
    ...(step.override !== undefined && { override: step.override }),
    concurrency: step.concurrency ?? DEFAULT_TRAFFIC_CONCURRENCY,
    ...(during !== undefined && { during }),
    ...(expect !== undefined && { expect }),
  };
}

/** The path a traffic step's requests to objects take when it names none: the bundled example's route. */
export const DEFAULT_OBJECT_PATH = "/objects/{name}";

/** A request step's or traffic step's method, path, headers and body, checked. */
function requestTemplate(ctx: CheckContext, step: { path: string; method?: string; headers?: Record<string, string>; body?: unknown }, path: Path): RequestTemplate {
  const method = step.method ?? "GET";
  if (step.body !== undefined && (method === "GET" || method === "HEAD")) {
    ctx.report([...path, "body"], `a ${method} request has no body; set method: POST (or PUT, PATCH...)`, "invalid-value", "key");
  }
  const body: TemplateBody | undefined = step.body === undefined ? undefined : typeof step.body === "string" ? { text: step.body } : { json: step.body };
  return { method, path: step.path, headers: step.headers ?? {}, ...(body !== undefined && { body }) };
}

function duringOperation(ctx: CheckContext, progress: Progress, traffic: StepHead, during: DuringFile, path: Path, requests: number): DuringOperation {
  const afterRequests = during.afterRequests ?? Math.floor(requests / 2);
  if (afterRequests >= requests) {
    ctx.report([...path, "afterRequests"], `the traffic sends ${requests} requests, so this would never run mid-traffic; use a number below ${requests}`, "invalid-value");
  }
  const holdMs = during.hold === undefined ? undefined : parseDurationMs(during.hold);
  if (holdMs !== undefined && holdMs < MIN_HOLD_MS) {
    ctx.report([...path, "hold"], `hold requests at least ${MIN_HOLD_MS}ms, so the operation's resets land before they complete`, "invalid-value");
  }
  const when = { afterRequests, ...(holdMs !== undefined && { holdMs }) };
  const head: StepHead = { index: traffic.index, at: ctx.location(path) };
  if ("upload" in during) return { ...uploadStep(ctx, progress, head, during, path), ...when };
  if ("deploy" in during) return { ...deployStep(ctx, progress, head, during, path), ...when };
  if ("rollback" in during) return { ...rollbackStep(ctx, progress, head, during, path), ...when };
  return { ...secretStep(ctx, progress, head, during, path), ...when };
}
