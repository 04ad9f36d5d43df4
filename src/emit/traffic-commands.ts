/**
 * A traffic step as a loop of curls, one after another, with the operation it runs `during` the
 * traffic carried out between the requests sent before and after it, and a count of each status
 * where the counts can be seen from outside.
 */
import type { RequestSpec, TrafficStep } from "../scenario/types.js";
import type { Withheld } from "./outside-view.js";
import { requestLines, responsesInsideOnly, type RequestContext } from "./request-commands.js";

/** What a step becomes (see step-commands.ts). */
interface Emitted {
  readonly title: string;
  readonly lines: readonly string[];
  readonly insideOnly: readonly string[];
}

/** `count` requests, each adding its status to `$statuses`. */
function counted(ctx: RequestContext, request: RequestSpec, count: number): string[] {
  if (count === 0) return [];
  return requestLines(ctx, request, count, undefined).map((line) => (line.trimStart().startsWith("request ") ? `${line}; statuses="$statuses $STATUS"` : line));
}

/** The traffic step; `during` is its operation, already emitted. */
export function emitTraffic(ctx: RequestContext, step: TrafficStep, withheld: Withheld, during: Emitted | undefined): Emitted {
  const request: RequestSpec = { method: step.method, path: step.path, headers: step.headers, ...(step.body !== undefined && { body: step.body }), ...(step.override !== undefined && { override: step.override }), ...(step.objects[0] !== undefined && { object: step.objects[0] }) };
  const said = responsesInsideOnly(step.expect, withheld);
  if (step.objects.length > 1) said.unshift(`dosim spreads these requests over ${step.objects.join(", ")} from a seeded stream; here they go to ${step.objects[0]}`);
  const lines = [`statuses=""`];
  if (step.during !== undefined && during !== undefined) {
    const before = Math.min(step.during.afterRequests, step.requests);
    const hold = step.during.holdMs === undefined ? "" : `, holding the requests of that moment for ${step.during.holdMs} ms`;
    said.unshift(`dosim runs the ${step.during.kind} after ${step.during.afterRequests} of these requests${hold}; here it runs between them, with none in flight`);
    said.push(...during.insideOnly.map((text) => `during the ${step.during?.kind}: ${text}`));
    lines.push(...counted(ctx, request, before), `# ${during.title}, after ${before} requests`, ...during.lines, ...counted(ctx, request, step.requests - before));
  } else {
    lines.push(...counted(ctx, request, step.requests));
  }
  const statuses = step.expect?.statuses;
  if (statuses !== undefined && !withheld.has("statuses")) for (const [code, range] of Object.entries(statuses)) lines.push(`check_count ${code} ${range.min} ${range.max ?? ""} "$statuses"`.trimEnd());
  return { title: `Traffic: ${step.requests} requests to ${step.path}`, lines, insideOnly: said };
}
