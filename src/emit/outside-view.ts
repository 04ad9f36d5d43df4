/**
 * Which of a step's response expectations a script can check from outside, against a real account,
 * with the same result every run. dosim decides some things itself that the platform decides its
 * own way: which version a request gets under a split (a seeded pick, or its model of the version
 * key hash), which version each object runs under a split (its model of the unpublished hash), how
 * bulk traffic spreads over objects (a seeded stream), and which requests are in flight when an
 * operation lands during traffic (it holds them, or runs them concurrently). An expectation that
 * depends on any of these is withheld from the script, with the reason, and said as a comment.
 */
import type { RequestSpec, ResponsesExpectation, Scenario, ScenarioStep, TrafficStep } from "../scenario/types.js";
import { objectNameOf } from "../scenario/object-refs.js";

/** The response checks a script can make. */
export type OutsideCheck = "statuses" | "body" | "json" | "version";

/** For one step: the checks the script leaves to dosim, each with the reason. */
export type Withheld = ReadonlyMap<OutsideCheck, string>;

/** What the steps so far leave the script unable to reproduce. */
interface Walk {
  /** Whether every request goes to one version (some version at 100%) or to a split. */
  routing: "pinned" | "split";
  /** Object reference → why its state (stored or in memory) may differ outside from dosim's. */
  readonly tainted: Map<string, string>;
}

const SPLIT_ROUTING = "under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own";
const ASSIGNMENT_BY_MODEL = "dosim assigns each object a version by its model of the platform's unpublished hash";
const SPLIT_ASSIGNMENT = `under a split, ${ASSIGNMENT_BY_MODEL}`;

/** Why an object's state is dosim's own after it was called under a split (`at`: in which step). */
function calledUnderSplit(ref: string, at = ""): string {
  return `${at}${objectNameOf(ref)} was called under a split, where ${ASSIGNMENT_BY_MODEL}`;
}

/** The deployment a step leaves, for the steps that change it (refused steps change nothing). */
function routingAfter(step: ScenarioStep, before: Walk["routing"]): Walk["routing"] {
  if (step.kind === "traffic") return step.during === undefined ? before : routingAfter(step.during, before);
  if (!("expect" in step) || step.expect === undefined || !("refused" in step.expect) || step.expect.refused === undefined) {
    if (step.kind === "deploy") return step.full || (step.entries ?? []).some((entry) => entry.percentage === 100) ? "pinned" : "split";
    if (step.kind === "rollback") return "pinned";
    if (step.kind === "secret" && !step.versioned) return "pinned";
  }
  return before;
}

/**
 * The declared objects a request reaches, as far as the scenario says: its `object`, the objects
 * its `served` names, and declared objects whose name is a segment of its path. A request tied to
 * no object is taken not to read any object's state.
 */
export function objectsReached(scenario: Scenario, request: RequestSpec, expect: ResponsesExpectation | undefined): string[] {
  const segments = new Set(request.path.split(/[/?&=#]/));
  const named = scenario.objects.filter((ref) => segments.has(objectNameOf(ref)));
  return [...new Set([...(request.object === undefined ? [] : [request.object]), ...Object.keys(expect?.served ?? {}), ...named])];
}

function requestWithheld(scenario: Scenario, walk: Walk, request: RequestSpec, expect: ResponsesExpectation | undefined): Map<OutsideCheck, string> {
  const withheld = new Map<OutsideCheck, string>();
  const reached = objectsReached(scenario, request, expect);
  const routed = walk.routing === "pinned" || request.override !== undefined;
  if (!routed) withheld.set("version", SPLIT_ROUTING);
  // What the response says: the serving version's, and each object's (its version and its state).
  const whys = [...(routed ? [] : [SPLIT_ROUTING]), ...(walk.routing === "split" && reached.length > 0 ? [SPLIT_ASSIGNMENT] : [])];
  for (const ref of reached) {
    const earlier = walk.tainted.get(ref);
    if (earlier !== undefined && !whys.includes(earlier)) whys.push(earlier);
    if (walk.routing === "split") walk.tainted.set(ref, calledUnderSplit(ref));
  }
  if (whys.length > 0) for (const check of ["body", "json"] as const) withheld.set(check, whys.join("; and "));
  return withheld;
}

/** Requests of a traffic step may be in flight when its `during` operation lands. */
function racesItsOperation(step: TrafficStep): boolean {
  return step.during !== undefined && (step.during.holdMs !== undefined || step.concurrency > 1);
}

function trafficWithheld(walk: Walk, step: TrafficStep): Map<OutsideCheck, string> {
  const withheld = new Map<OutsideCheck, string>();
  const at = `step ${step.index + 1}`;
  if (racesItsOperation(step)) {
    const how = step.during?.holdMs !== undefined ? `holds the requests of that moment in flight for ${step.during.holdMs} ms` : `runs ${step.concurrency} requests at once`;
    withheld.set("statuses", `dosim ${how} while the ${step.during?.kind} lands, so which requests it fails is its own timing; sent one by one, none is in flight`);
    for (const ref of step.objects) walk.tainted.set(ref, `in ${at}, requests to ${objectNameOf(ref)} in flight at the ${step.during?.kind} failed inside dosim, and their writes with them`);
  }
  if (step.objects.length > 1) {
    for (const ref of step.objects) if (!walk.tainted.has(ref)) walk.tainted.set(ref, `in ${at}, dosim spread the requests over ${step.objects.map(objectNameOf).join(", ")} from its seeded stream; the script sends them all to ${objectNameOf(step.objects[0]!)}`);
  }
  if (walk.routing === "split" && step.override === undefined) {
    for (const ref of step.objects) if (!walk.tainted.has(ref)) walk.tainted.set(ref, calledUnderSplit(ref, `in ${at}, `));
    if (!withheld.has("statuses") && Object.keys(step.expect?.statuses ?? {}).length > 1) withheld.set("statuses", `how many requests get each status depends on how many reach each version: ${SPLIT_ROUTING}`);
  }
  return withheld;
}

/** Per step (by index), the checks the script leaves to dosim. */
export function outsideView(scenario: Scenario): Withheld[] {
  const walk: Walk = { routing: "pinned", tainted: new Map() };
  return scenario.steps.map((step) => {
    const withheld = step.kind === "request" ? requestWithheld(scenario, walk, step.request, step.expect) : step.kind === "traffic" ? trafficWithheld(walk, step) : new Map<OutsideCheck, string>();
    walk.routing = routingAfter(step, walk.routing);
    return withheld;
  });
}
