/**
 * Runs the workload for one cell phase on the host: every request in order, each object's name
 * made the cell's own (so every cell starts from empty storage), the caller pinned through the
 * overrides header, and every answer checked.
 */
import { VERSION_OVERRIDES_HEADER } from "../model/version-overrides.js";
import { jsonContains } from "../scenario/expectations.js";
import { objectNameOf } from "../scenario/object-refs.js";
import { fillRequest } from "../runtime/workers/request-template.js";
import type { Simulator } from "../runtime/simulator.js";
import type { TraceEvent } from "../runtime/workers/protocol.js";
import type { WorkloadExpect, WorkloadItem } from "./types.js";

/** A request of the phase that went wrong. */
export interface RequestFailure {
  readonly request: string;
  readonly status?: number;
  readonly message: string;
}

/** What a phase gave: requests sent, the failed ones, and who served them. */
export interface PhaseResult {
  requests: number;
  readonly failures: RequestFailure[];
  /** Version ids the edge says served the requests. */
  readonly servedBy: Set<string>;
}

/** The object name a cell uses for `name`: its own, so cells never share storage. */
export function cellObjectName(name: string, cellName: string): string {
  return `${name}.${cellName}`;
}

/** Why an answer does not meet the expectation (undefined: it does). */
function mismatch(status: number, body: string, expect: WorkloadExpect | undefined): string | undefined {
  if (expect?.status !== undefined && status !== expect.status) return `expected status ${expect.status}, got ${status}: ${firstLine(body)}`;
  if (expect?.status === undefined && status >= 500) return `status ${status}: ${firstLine(body)}`;
  if (expect?.body !== undefined && body !== expect.body) return `expected body ${JSON.stringify(expect.body)}, got ${JSON.stringify(firstLine(body))}`;
  if (expect?.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return `expected JSON with ${JSON.stringify(expect.json)}, got ${JSON.stringify(firstLine(body))}`;
    }
    if (!jsonContains(parsed, expect.json)) return `expected JSON with ${JSON.stringify(expect.json)}, got ${firstLine(body)}`;
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Sends the workload once for the cell named `cellName`, as the version `overridesHeader` names (none: as routed). */
export async function runWorkload(sim: Simulator, workload: readonly WorkloadItem[], cellName: string, overridesHeader: string | undefined): Promise<PhaseResult> {
  const result: PhaseResult = { requests: 0, failures: [], servedBy: new Set() };
  for (const item of workload) {
    const name = item.object === undefined ? undefined : cellObjectName(objectNameOf(item.object), cellName);
    const filled = fillRequest(item.template, name);
    const headers = { ...filled.headers, ...(overridesHeader !== undefined && { [VERSION_OVERRIDES_HEADER]: overridesHeader }) };
    const shown = `${filled.method} ${filled.path}`;
    for (let n = 0; n < item.count; n++) {
      result.requests++;
      try {
        const { response, versionId } = await sim.fetchServed(filled.path, { method: filled.method, headers, ...(filled.body !== undefined && { body: filled.body }) });
        const body = await response.text();
        if (versionId !== undefined) result.servedBy.add(versionId);
        const wrong = mismatch(response.status, body, item.expect);
        if (wrong !== undefined) result.failures.push({ request: shown, status: response.status, message: wrong });
      } catch (error) {
        result.failures.push({ request: shown, message: `no answer: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }
  return result;
}

/** The exceptions of trace events, one line each (`Error: message` as the invocation threw it). */
export function thrownMessages(events: readonly TraceEvent[]): string[] {
  return events.filter((event) => event.Outcome === "exception").flatMap((event) => (event.Exceptions.length === 0 ? ["an invocation threw"] : event.Exceptions.map((exception) => `${exception.Name}: ${exception.Message}`)));
}
