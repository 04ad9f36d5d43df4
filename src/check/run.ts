/**
 * The check engine: starts one host with every version, then for each storage writer runs the
 * workload as that writer (every version at 100% in turn), and for each cell pins the object's
 * version with a deployment (`Y@100`, the caller at 0% beside it) and the caller with the
 * overrides header — the platform's own routing, no change to the Worker — and runs the workload
 * again. The verdicts come from the pure model (src/model/check-*.ts).
 *
 *   const loaded = loadCheckFile("examples/check/rpc-rename/check.yaml");
 *   if (loaded.ok) console.log((await runCheck(loaded.check)).verdict);
 */
import path from "node:path";
import { cellKey, defaultPlan, distinctCells, formatPlanDeployment, plannedPairings, type PairingCell } from "../model/check-pairings.js";
import { pairAdvice, stepVerdict, type CellOutcome } from "../model/check-verdicts.js";
import { IMMEDIATE } from "../model/code-update.js";
import { InputError } from "../model/input-error.js";
import { formatOverridesHeader } from "../model/version-overrides.js";
import { DEFAULT_START_MS, Simulator } from "../runtime/simulator.js";
import { versionSpec } from "../scenario/run.js";
import { checkObjectRefs } from "./objects.js";
import type { CheckCell, CheckFailure, CheckPair, CheckReport } from "../report/check-report.js";
import type { CheckSpec } from "./types.js";
import { runWorkload, thrownMessages, type PhaseResult } from "./workload-run.js";

/** Runs the check on a fresh host and reports it. Bad input (a version that does not build, an unknown class) throws an {@link InputError}. */
export async function runCheck(check: CheckSpec, options: { readonly file?: string } = {}): Promise<CheckReport> {
  const file = options.file ?? path.relative(process.cwd(), check.file).split(path.sep).join("/");
  checkObjectRefs(check, file);
  const labels = check.versions.map((version) => version.label);
  const plan = check.plan ?? defaultPlan(labels);
  const steps = plannedPairings(labels[0]!, plan, { deferred: check.deferred });
  const cells = distinctCells(steps);
  const sim = await Simulator.start({ config: check.workerConfig, ...(check.env !== undefined && { env: check.env }), seed: check.seed, startMs: DEFAULT_START_MS, versions: check.versions.map((version) => versionSpec(version, check.env)) });
  let results: Map<string, CheckCell>;
  try {
    results = await new CellRunner(sim, check).run(cells, labels);
  } finally {
    await sim.close();
  }
  const outcomeOf = (cell: PairingCell): CellOutcome | undefined => {
    const result = results.get(cellKey(cell));
    if (result === undefined) return undefined;
    const writerFailed = result.failures.length - result.failed;
    const first = result.failures.find((failure) => failure.phase === "read") ?? result.failures[0];
    return { requests: result.requests, failed: result.failed, ...(writerFailed > 0 && { writerFailed }), ...(first !== undefined && { firstFailure: describe(first) }) };
  };
  const verdicts = steps.map((step) => stepVerdict(step, outcomeOf));
  const pairs: CheckPair[] = labels.slice(1).map((newer, index) => {
    const older = labels[index]!;
    const pairCells = cells.filter((cell) => [cell.caller, cell.object, cell.writer].every((label) => label === older || label === newer));
    const safe = pairCells.every((cell) => (results.get(cellKey(cell))?.failures.length ?? 0) === 0);
    return { older, newer, safe, advice: safe ? [] : pairAdvice(older, newer, pairCells, outcomeOf) };
  });
  return {
    schema: "dosim.check/v1",
    name: check.name,
    file,
    ...(check.description !== undefined && { description: check.description }),
    seed: check.seed,
    versions: labels.map((label) => ({ label, id: sim.labels[label] ?? label })),
    plan: plan.map(formatPlanDeployment),
    deferred: check.deferred,
    workloadRequests: check.workload.reduce((sum, item) => sum + item.count, 0),
    cells: cells.map((cell) => results.get(cellKey(cell))!),
    steps: verdicts,
    pairs,
    verdict: verdicts.every((verdict) => verdict.safe) ? "safe" : "unsafe",
  };
}

/** One line for a failure: `POST /rooms/x: 500 TypeError: ...`. */
function describe(failure: CheckFailure): string {
  const status = failure.status === undefined ? "" : ` → ${failure.status}`;
  const phase = failure.phase === "write" ? ` (while ${failure.writer} wrote)` : "";
  return `${failure.request}${status}${phase}: ${failure.message}`;
}

/** Runs the cells on one host, writer by writer. */
class CellRunner {
  #tracesSeen = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly check: CheckSpec,
  ) {}

  async run(cells: readonly PairingCell[], labels: readonly string[]): Promise<Map<string, CheckCell>> {
    const results = new Map<string, CheckCell>();
    await this.#drain();
    for (const writer of labels) {
      const written = cells.filter((cell) => cell.writer === writer);
      if (written.length === 0) continue;
      await this.#deploy(`${writer}@100`);
      const writes = new Map<string, CheckFailure[]>();
      for (const cell of written) {
        const phase = await this.#phase(cell, undefined);
        writes.set(cellKey(cell), this.#failures(phase.result, phase.thrown, "write", cell));
      }
      // The writer's own object version first, so those objects keep their instance as they would.
      const order = [...written].sort((a, b) => Number(b.object === writer) - Number(a.object === writer) || labels.indexOf(a.object) - labels.indexOf(b.object) || Number(b.caller === b.object) - Number(a.caller === a.object));
      let deployed = `${writer}@100`;
      for (const cell of order) {
        const spec = cell.caller === cell.object ? `${cell.object}@100` : `${cell.object}@100,${cell.caller}@0`;
        if (spec !== deployed) await this.#deploy(spec);
        deployed = spec;
        const phase = await this.#phase(cell, cell.caller);
        this.#verifyPin(cell, phase.result);
        const own = this.#failures(phase.result, phase.thrown, "read", cell);
        results.set(cellKey(cell), { ...cell, requests: phase.result.requests, failed: own.length, failures: [...writes.get(cellKey(cell))!, ...own] });
      }
    }
    return results;
  }

  /** The workload once for `cell`, pinned to `caller` (none: as deployed), and what its invocations threw. */
  async #phase(cell: PairingCell, caller: string | undefined): Promise<{ result: PhaseResult; thrown: string[] }> {
    const name = `${cell.writer}-${cell.caller}-${cell.object}`;
    const result = await runWorkload(this.sim, this.check.workload, name, caller === undefined ? undefined : this.#overrides(caller));
    const events = await this.#drain();
    // Every object call of the phase must have run where the cell pins objects.
    const objectVersion = this.sim.labels[caller === undefined ? cell.writer : cell.object];
    const stray = events.find((event) => event.DurableObject !== undefined && event.ScriptVersion.id !== objectVersion);
    if (stray !== undefined) throw new Error(`internal error: an object of the cell ${cellKey(cell)} ran on ${stray.ScriptVersion.id}`);
    return { result, thrown: thrownMessages(events) };
  }

  /** The failures of a phase; an exception explains the failed requests, or stands alone when every answer was right. */
  #failures(result: PhaseResult, thrown: readonly string[], phase: CheckFailure["phase"], cell: PairingCell): CheckFailure[] {
    const at = { phase, caller: phase === "write" ? cell.writer : cell.caller, object: phase === "write" ? cell.writer : cell.object, writer: cell.writer };
    const failures: CheckFailure[] = result.failures.map((failure) => ({ ...at, request: failure.request, ...(failure.status !== undefined && { status: failure.status }), message: failure.status !== undefined && failure.status >= 500 && thrown[0] !== undefined ? thrown[0] : failure.message }));
    if (failures.length === 0 && thrown.length > 0) failures.push({ ...at, request: "", message: `an invocation threw: ${thrown[0]}` });
    return failures;
  }

  /** The edge must have served the pinned caller; anything else is dosim's fault, not the Worker's. */
  #verifyPin(cell: PairingCell, result: PhaseResult): void {
    const wanted = this.sim.labels[cell.caller];
    for (const served of result.servedBy) if (served !== wanted) throw new Error(`internal error: a request pinned to ${cell.caller} was served by ${served}`);
  }

  #overrides(label: string): string {
    const header = formatOverridesHeader({ [this.sim.workerName]: this.sim.labels[label] ?? label });
    if (!header.ok) throw new Error(`internal error: ${header.error.message}`);
    return header.value;
  }

  async #deploy(spec: string): Promise<void> {
    const answer = await this.sim.deploy(spec, { codeUpdate: IMMEDIATE });
    if (!answer.ok) throw new InputError(answer.error.code, `the check could not deploy ${spec}: ${answer.error.message}`);
  }

  async #drain() {
    const all = await this.sim.traces();
    const fresh = all.slice(this.#tracesSeen);
    this.#tracesSeen = all.length;
    return fresh;
  }
}
