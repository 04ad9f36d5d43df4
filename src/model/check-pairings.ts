/**
 * Which code meets which during a rollout: the caller × object × storage-writer pairings a
 * deployment plan makes possible, step by step, and on rollback. The platform's rules behind it
 * (Cloudflare docs, "Gradual deployments" and "Durable Objects code updates"):
 * - a request runs any version listed in the deployment (0% too, through the overrides header);
 * - an object runs the version its id is assigned, whichever version calls it, so every listed
 *   version with a share can serve objects while any listed version calls them;
 * - with the default deferred code update, an object reassigned at a deployment keeps its old
 *   code until it goes idle or `max_delay` passes, so the new callers also meet the objects of the
 *   previous deployment's versions ("even at 100%");
 * - storage is never part of a version: an object reads whatever the last version it ran on wrote,
 *   which is any version objects have run on so far (forward) — or the newer one after a rollback.
 */
import { fail, ok, type Result } from "./errors.js";
import { cumulativeBounds, entryIndexForSlot, SLOT_COUNT } from "./assignment.js";
import { parseDeploymentSpec } from "./deployment-spec.js";

/** One deployment of a plan: labels with percentages, in listed order. */
export type PlanDeployment = readonly { readonly label: string; readonly percentage: number }[];

/** One cell of the check matrix: who calls, what the object runs, who last wrote its storage. */
export interface PairingCell {
  readonly caller: string;
  readonly object: string;
  readonly writer: string;
}

/** A step of a plan with the pairings it makes possible. */
export interface CheckStep {
  /** `deploy` a step of the plan, `rollback` to the previous 100% version, or `start`: the version at 100% before the plan. */
  readonly kind: "start" | "deploy" | "rollback";
  /** The deployment in wrangler's spec form (`B@50,A@50`). */
  readonly spec: string;
  /** For a rollback: the version it returns to; for a deploy: the step it belongs to (1-based). */
  readonly label?: string;
  /** The versions objects are assigned at this step (those with a share); others in `cells` are objects a deferred update keeps on old code. */
  readonly assigned: readonly string[];
  readonly cells: readonly PairingCell[];
}

/** The key of a cell in maps and reports: `caller>object/writer`. */
export function cellKey(cell: PairingCell): string {
  return `${cell.caller}>${cell.object}/${cell.writer}`;
}

/** `B@50,A@50` for a deployment. */
export function formatPlanDeployment(deployment: PlanDeployment): string {
  return deployment.map((entry) => `${entry.label}@${entry.percentage}`).join(",");
}

/**
 * Parses a plan: deployments separated by `→` or `->` (`B@10,A@90 -> B@50,A@50 -> B@100`), or a
 * list of them; every label must be one of `labels`.
 */
export function parsePlan(plan: string | readonly string[], labels: readonly string[]): Result<PlanDeployment[]> {
  const parts = (typeof plan === "string" ? plan.split(/\s*(?:→|->)\s*/) : plan).map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part === "")) return fail("invalid-plan", 'A plan lists deployments separated by "->", for example B@50,A@50 -> B@100.');
  const deployments: PlanDeployment[] = [];
  for (const part of parts) {
    const parsed = parseDeploymentSpec(part);
    if (!parsed.ok) return parsed;
    const unknown = parsed.value.find((item) => !labels.includes(item.ref));
    if (unknown !== undefined) return fail("invalid-plan", `"${unknown.ref}" in "${part}" is not a version of the check; use one of ${labels.join(", ")}.`);
    if (parsed.value.length > 2) return fail("invalid-plan", `"${part}" lists ${parsed.value.length} versions; a deployment has at most 2.`);
    const total = parsed.value.reduce((sum, item) => sum + (item.percentage ?? 0), 0);
    if (Math.abs(total - 100) > 0.001) return fail("invalid-plan", `The percentages of "${part}" add up to ${total}%; they must total exactly 100%.`);
    deployments.push(parsed.value.map((item) => ({ label: item.ref, percentage: item.percentage ?? 100 })));
  }
  return ok(deployments);
}

/** The plan dosim checks when none is given: each next version at 50%, then at 100%, in order. */
export function defaultPlan(labels: readonly string[]): PlanDeployment[] {
  const plan: PlanDeployment[] = [];
  for (let index = 1; index < labels.length; index++) {
    plan.push([{ label: labels[index]!, percentage: 50 }, { label: labels[index - 1]!, percentage: 50 }]);
    plan.push([{ label: labels[index]!, percentage: 100 }]);
  }
  return plan;
}

/** How the plan's deployments update objects: deferred (the default) keeps reassigned objects on their old code for a while. */
export interface PairingOptions {
  readonly deferred: boolean;
}

/** The version that owns `slot` in a deployment (the model's assignment rule, ./assignment.ts). */
function ownerOf(deployment: PlanDeployment, slot: number): string {
  return deployment[entryIndexForSlot(cumulativeBounds(deployment), slot)]!.label;
}

/**
 * The slots where some deployment of the plan changes owner: objects whose slots fall between two
 * of them share one history, so one slot stands for each run of objects.
 */
function representativeSlots(deployments: readonly PlanDeployment[]): number[] {
  const starts = new Set<number>([0]);
  for (const deployment of deployments) for (const bound of cumulativeBounds(deployment)) if (bound < SLOT_COUNT) starts.add(bound);
  return [...starts].sort((a, b) => a - b);
}

/** A run of objects: the versions they ran on so far (any of them may have written last) and the one they run now. */
interface ObjectRun {
  readonly history: Set<string>;
  current: string;
}

/** Adds the cells where `callers` meet an object run now on `object` whose storage any of `writers` wrote. */
function addCells(cells: Map<string, PairingCell>, callers: readonly string[], object: string, writers: Iterable<string>): void {
  for (const caller of callers) for (const writer of writers) {
    const cell = { caller, object, writer };
    cells.set(cellKey(cell), cell);
  }
}

/** Moves every run of objects to `deployment`, and returns the cells this step makes possible. */
function stepCells(runs: readonly ObjectRun[], slots: readonly number[], deployment: PlanDeployment, callers: readonly string[], deferred: boolean): PairingCell[] {
  const cells = new Map<string, PairingCell>();
  runs.forEach((run, index) => {
    const next = ownerOf(deployment, slots[index]!);
    // Deferred: a reassigned object keeps its old code (and its old storage) for a while.
    if (deferred && next !== run.current) addCells(cells, callers, run.current, run.history);
    run.history.add(next);
    run.current = next;
    addCells(cells, callers, next, run.history);
  });
  return [...cells.values()];
}

/**
 * Every step of `plan` from `start` at 100%, with the pairings it makes possible, and a rollback
 * after each deployment that puts a new version at 100% (to the previous version at 100%). Each
 * run of objects is followed through the plan with the model's assignment rule, so a storage
 * writer is paired only with the objects that can actually have run it.
 */
export function plannedPairings(start: string, plan: readonly PlanDeployment[], options: PairingOptions): CheckStep[] {
  const initial: PlanDeployment = [{ label: start, percentage: 100 }];
  const slots = representativeSlots(plan);
  const runs: ObjectRun[] = slots.map(() => ({ history: new Set([start]), current: start }));
  const steps: CheckStep[] = [{ kind: "start", spec: formatPlanDeployment(initial), assigned: [start], cells: [{ caller: start, object: start, writer: start }] }];
  let lastFull = start;
  plan.forEach((deployment, index) => {
    const callers = deployment.map((entry) => entry.label);
    const assigned = deployment.filter((entry) => entry.percentage > 0).map((entry) => entry.label);
    steps.push({ kind: "deploy", spec: formatPlanDeployment(deployment), label: String(index + 1), assigned, cells: stepCells(runs, slots, deployment, callers, options.deferred) });
    const full = deployment.find((entry) => entry.percentage === 100)?.label;
    if (full === undefined || full === lastFull) return;
    // The rollback is checked on copies: the plan itself goes on from the new version.
    const copies = runs.map((run) => ({ history: new Set(run.history), current: run.current }));
    const back: PlanDeployment = [{ label: lastFull, percentage: 100 }];
    steps.push({ kind: "rollback", spec: formatPlanDeployment(back), label: lastFull, assigned: [lastFull], cells: stepCells(copies, slots, back, [lastFull], options.deferred) });
    lastFull = full;
  });
  return steps;
}

/** Every distinct cell of the steps, in first-seen order. */
export function distinctCells(steps: readonly CheckStep[]): PairingCell[] {
  const seen = new Map<string, PairingCell>();
  for (const step of steps) for (const cell of step.cells) if (!seen.has(cellKey(cell))) seen.set(cellKey(cell), cell);
  return [...seen.values()];
}
