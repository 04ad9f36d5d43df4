/**
 * Checks a step's expectations against what the host did and what its control plane holds now,
 * and records each as a {@link ReplayExpectation} (passed or not, expected vs actual). Names are
 * stable paths like `objects.foo`, `resets.step` or `share.B`; a traffic step's `during` operation
 * has its own, prefixed `during.`.
 */
import type { LedgerState, ObjectRecord } from "../model/ledger.js";
import type { WorkerState } from "../model/types.js";
import type { ReplayExpectation } from "../report/replay-report.js";
import type { ResponseTally } from "./run-host.js";
import type { CountRange, LabelledEntry, ResponsesExpectation, StateExpectation } from "./types.js";

/** What the checks read: the control plane's state after the step, and how to name things. */
export interface WorldView {
  readonly worker: WorkerState;
  readonly ledger: LedgerState;
  /** A version's label (labels match any version made under them). */
  labelOf(versionId: string): string;
  /** The id of the object with this name. */
  objectId(name: string): string;
  /** An object's name for reports. */
  objectName(record: ObjectRecord): string;
}

/** What dosim's trace events showed during a step's requests. */
export interface StepObservations {
  /** Label → invocations that threw on that version. */
  readonly errors: Readonly<Record<string, number>>;
  /** Object id → version id → invocations of the object that ran on that version. */
  readonly objects: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The first exception an invocation of the step threw, and the label of its version. */
  readonly firstException?: { readonly label: string; readonly name: string; readonly message: string };
}

/** Collects the expectations of a run, in order. */
export class ExpectationLog {
  readonly items: ReplayExpectation[] = [];

  /** Records one check; `message` says why it failed (ignored when it passed). */
  add(step: number, name: string, expected: unknown, actual: unknown, passed: boolean, message: string): void {
    this.items.push({ step, name, passed, expected, actual, message: passed ? "" : message });
  }

  /** Records a count check against a range. */
  count(step: number, name: string, range: CountRange, actual: number, what: string): void {
    const passed = actual >= range.min && (range.max === undefined || actual <= range.max);
    this.add(step, name, showRange(range), actual, passed, `${what} was ${actual}, expected ${describeRange(range)}.`);
  }
}

/** A range as it was written: a number when exact, else `{ min, max }`. */
function showRange(range: CountRange): unknown {
  return range.max === range.min ? range.min : range;
}

function describeRange(range: CountRange): string {
  if (range.max === range.min) return `exactly ${range.min}`;
  if (range.max === undefined) return `at least ${range.min}`;
  return range.min === 0 ? `at most ${range.max}` : `between ${range.min} and ${range.max}`;
}

/** Formats entries as a spec, `B@20,A@80`. */
export function specOf(entries: readonly { label: string; percentage: number }[]): string {
  return entries.map((entry) => `${entry.label}@${entry.percentage}`).join(",");
}

/** Checks the state: objects, running, live, resets, the active deployment. `resetsBefore` starts the step. */
export function checkState(log: ExpectationLog, step: number, prefix: string, expect: StateExpectation, world: WorldView, resetsBefore: number): void {
  const record = (name: string): ObjectRecord | undefined => world.ledger.objects[world.objectId(name)];
  for (const [name, label] of Object.entries(expect.objects ?? {})) {
    const known = record(name);
    const actual = known === undefined ? "unknown" : world.labelOf(known.assigned);
    log.add(step, `${prefix}objects.${name}`, label, actual, actual === label, `The active deployment assigns ${name} to ${actual}, not ${label}.`);
  }
  for (const [name, label] of Object.entries(expect.running ?? {})) {
    const known = record(name);
    const actual = known === undefined ? "unknown" : world.labelOf(known.running);
    log.add(step, `${prefix}running.${name}`, label, actual, actual === label, `${name} runs ${actual}, not ${label}.`);
  }
  if (expect.live !== undefined) {
    // Compared by id: `lobby` and `ChatRoom:lobby` may name one object.
    const liveRecords = Object.values(world.ledger.objects).filter((known) => known.live);
    const liveIds = liveRecords.map((known) => known.id).sort();
    const wantedIds = [...new Set(expect.live.map((name) => world.objectId(name)))].sort();
    const live = liveRecords.map((known) => world.objectName(known)).sort();
    const wanted = [...expect.live].sort();
    const passed = liveIds.join("\n") === wantedIds.join("\n");
    log.add(step, `${prefix}live`, wanted, live, passed, `The live objects are [${live.join(", ")}], not [${wanted.join(", ")}].`);
  }
  const resets = expect.resets;
  if (resets?.total !== undefined) log.count(step, `${prefix}resets.total`, resets.total, world.ledger.resets.length, "The number of resets since the run began");
  if (resets?.step !== undefined) log.count(step, `${prefix}resets.step`, resets.step, world.ledger.resets.length - resetsBefore, "The number of resets this step caused");
  for (const [name, range] of Object.entries(resets?.perObject ?? {})) {
    const id = world.objectId(name);
    const actual = world.ledger.resets.filter((reset) => reset.objectId === id).length;
    log.count(step, `${prefix}resets.perObject.${name}`, range, actual, `The number of resets of ${name}`);
  }
  if (expect.deployment !== undefined) checkDeployment(log, step, prefix, expect.deployment, world);
}

function checkDeployment(log: ExpectationLog, step: number, prefix: string, wanted: readonly LabelledEntry[], world: WorldView): void {
  const active = world.worker.deployments[world.worker.deployments.length - 1];
  const actual = active === undefined ? "none" : specOf(active.entries.map((entry) => ({ label: world.labelOf(entry.versionId), percentage: entry.percentage })));
  const expected = specOf(wanted);
  log.add(step, `${prefix}deployment`, expected, actual, actual === expected, `The active deployment is ${actual}, not ${expected}.`);
}

/**
 * Checks what responses a `request` or `traffic` step got, and what the trace events showed of its
 * invocations (thrown ones per label, the version each object ran on).
 */
export function checkResponses(log: ExpectationLog, step: number, expect: ResponsesExpectation, tally: ResponseTally, observed: StepObservations, world: WorldView): void {
  const errors = observed.errors;
  const statuses = Object.keys(tally.statuses).map(Number).sort((a, b) => a - b);
  if (expect.status !== undefined) {
    const passed = statuses.length === 1 && statuses[0] === expect.status && tally.failures.lost === 0;
    // What the Worker threw is the first thing to know of a response that failed.
    const thrown = observed.firstException === undefined ? "" : ` ${observed.firstException.label} threw ${observed.firstException.name}: ${observed.firstException.message}`;
    log.add(step, "status", expect.status, statuses.length === 1 ? statuses[0] : statuses, passed, `Not every response had status ${expect.status}.${thrown}`);
  }
  for (const [status, range] of Object.entries(expect.statuses ?? {})) {
    log.count(step, `statuses.${status}`, range, tally.statuses[Number(status)] ?? 0, `The number of ${status} responses`);
  }
  if (expect.body !== undefined) {
    const wrong = tally.bodies.find((body) => body !== expect.body);
    log.add(step, "body", expect.body, wrong ?? expect.body, wrong === undefined, "A response body differs from the one expected.");
  }
  if (expect.json !== undefined) {
    const wrong = tally.bodies.find((body) => !jsonContains(parseJson(body), expect.json));
    // Only the fields asked for are shown: the rest of a body may hold ids or wall-clock times.
    const actual = wrong === undefined ? expect.json : (pickShape(parseJson(wrong), expect.json) ?? "not JSON");
    log.add(step, "json", expect.json, actual, wrong === undefined, "A response body does not contain the expected JSON fields.");
  }
  const labelled = labelCounts(tally.versions, world);
  if (expect.version !== undefined) {
    const seen = Object.keys(labelled).sort();
    const passed = seen.length === 1 && seen[0] === expect.version;
    log.add(step, "version", expect.version, seen.length === 1 ? seen[0] : seen, passed, `Not every request was served by ${expect.version} (as the edge routed it).`);
  }
  checkServed(log, step, expect.served, observed, world);
  for (const [label, wanted] of Object.entries(expect.share ?? {})) {
    const tolerance = expect.tolerance ?? 0;
    const actual = tally.requests === 0 ? 0 : round3(((labelled[label] ?? 0) / tally.requests) * 100);
    const passed = Math.abs(actual - wanted) <= tolerance + 1e-9;
    log.add(step, `share.${label}`, `${wanted}% ± ${tolerance}`, `${actual}%`, passed, `${label} served ${actual}% of the requests, more than ${tolerance} points from ${wanted}%.`);
  }
  for (const [label, range] of Object.entries(expect.errors ?? {})) {
    log.count(step, `errors.${label}`, range, errors[label] ?? 0, `The number of invocations that threw on ${label}`);
  }
  for (const kind of ["resets", "other", "lost"] as const) {
    const range = expect.failures?.[kind];
    if (range !== undefined) log.count(step, `failures.${kind}`, range, tally.failures[kind], `The number of requests that ${FAILURE_WORDS[kind]}`);
  }
}

/** Checks that every invocation of each named object during the step ran on the expected version (and that there was one). */
function checkServed(log: ExpectationLog, step: number, served: Readonly<Record<string, string>> | undefined, observed: StepObservations, world: WorldView): void {
  for (const [name, label] of Object.entries(served ?? {})) {
    const labels = [...new Set(Object.keys(observed.objects[world.objectId(name)] ?? {}).map((id) => world.labelOf(id)))].sort();
    const actual = labels.length === 0 ? "not called" : labels.length === 1 ? labels[0] : labels;
    const passed = labels.length === 1 && labels[0] === label;
    const why = labels.length === 0 ? `${name} got no call during this step.` : `${name}'s calls during this step ran on ${labels.join(" and ")}, not only ${label}.`;
    log.add(step, `served.${name}`, label, actual, passed, why);
  }
}

const FAILURE_WORDS = { resets: "failed with a reset", other: "failed for another reason", lost: "were never answered" } as const;

/** Serving version counts by label ("none" stays as is). */
function labelCounts(versions: Readonly<Record<string, number>>, world: WorldView): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [id, n] of Object.entries(versions)) {
    const label = id === "none" ? "none" : world.labelOf(id);
    counts[label] = (counts[label] ?? 0) + n;
  }
  return counts;
}

/** Rounds to 3 decimals, like the platform's percentages. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The parts of `actual` on the keys `wanted` names (recursively). */
function pickShape(actual: unknown, wanted: unknown): unknown {
  if (wanted === null || typeof wanted !== "object" || Array.isArray(wanted) || actual === null || typeof actual !== "object" || Array.isArray(actual)) return actual;
  return Object.fromEntries(Object.keys(wanted).map((key) => [key, pickShape((actual as Record<string, unknown>)[key], (wanted as Record<string, unknown>)[key]) ?? null]));
}

/** True when `actual` holds `wanted`: objects on the keys given (recursively), everything else exactly. */
export function jsonContains(actual: unknown, wanted: unknown): boolean {
  if (wanted !== null && typeof wanted === "object" && !Array.isArray(wanted)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    return Object.entries(wanted).every(([key, value]) => jsonContains((actual as Record<string, unknown>)[key], value));
  }
  return JSON.stringify(actual) === JSON.stringify(wanted);
}
