/**
 * A request as a curl (through the script's `request` function) and the checks of its response
 * that the script makes; what it leaves to dosim, in words.
 */
import type { RequestSpec, ResponsesExpectation, StateExpectation } from "../scenario/types.js";
import { objectNameOf } from "../scenario/object-refs.js";
import { fillBody, fillHeaders, fillPath } from "../runtime/workers/request-template.js";
import type { OutsideCheck, Withheld } from "./outside-view.js";
import { quote, versionVar } from "./shell.js";

/** The Worker's name, for the overrides header. */
export interface RequestContext {
  readonly workerName: string;
}

/** The state expectations that only dosim sees, in words. */
export function insideOnly(expect: StateExpectation | undefined): string[] {
  if (expect === undefined) return [];
  const said: string[] = [];
  if (expect.objects !== undefined) said.push(`objects assigned: ${Object.entries(expect.objects).map(([name, label]) => `${name} → ${label}`).join(", ")}`);
  if (expect.running !== undefined) said.push(`objects running: ${Object.entries(expect.running).map(([name, label]) => `${name} → ${label}`).join(", ")}`);
  if (expect.live !== undefined) said.push(`live instances: ${expect.live.join(", ") || "none"}`);
  if (expect.resets !== undefined) said.push(`resets: ${JSON.stringify(expect.resets)}`);
  return said;
}

/** The checks of a response expectation the script makes, unless withheld. */
function responseChecks(expect: ResponsesExpectation | undefined, withheld: Withheld): string[] {
  const checks: string[] = [];
  if (expect?.status !== undefined) checks.push(`check_status ${expect.status}`);
  if (expect?.body !== undefined && !withheld.has("body")) checks.push(`check_body ${quote(expect.body)}`);
  if (expect?.json !== undefined && !withheld.has("json")) checks.push(`check_json ${quote(JSON.stringify(expect.json))}`);
  if (expect?.version !== undefined && !withheld.has("version")) checks.push(`check_version "$${versionVar(expect.version)}"`);
  return checks;
}

/** The curl of `request`, `count` times, each followed by the checks of `expect` not withheld. */
export function requestLines(ctx: RequestContext, request: RequestSpec, count: number, expect: ResponsesExpectation | undefined, withheld: Withheld = new Map()): string[] {
  const name = request.object === undefined ? undefined : objectNameOf(request.object);
  const headers = fillHeaders(request.headers, name);
  if (request.override !== undefined) headers["Cloudflare-Workers-Version-Overrides"] = `${ctx.workerName}="__V_${request.override}__"`;
  if (request.versionKey !== undefined) headers["Cloudflare-Workers-Version-Key"] = request.versionKey;
  const headerArgs = Object.entries(headers)
    .map(([key, value]) => ` -H ${quote(`${key}: ${value}`)}`)
    .join("")
    .replace(/__V_([A-Za-z0-9._-]+)__/g, (_, label: string) => `'"$${versionVar(label)}"'`);
  const body = fillBody(request.body, name);
  const bodyArg = body === undefined ? "" : ` --data-binary ${quote(body)}`;
  const call = `request ${quote(request.method)} ${quote(fillPath(request.path, name))}${headerArgs}${bodyArg}`;
  const once = [call, ...responseChecks(expect, withheld)];
  if (count === 1) return once;
  return [`i=0`, `while [ "$i" -lt ${count} ]; do`, ...once.map((line) => `  ${line}`), `  i=$((i + 1))`, `done`];
}

/** An expectation's value as the comment shows it. */
function expected(expect: ResponsesExpectation, check: OutsideCheck): string {
  switch (check) {
    case "statuses":
      return `statuses ${JSON.stringify(expect.statuses)}`;
    case "body":
      return `body ${JSON.stringify(expect.body)}`;
    case "json":
      return `JSON ${JSON.stringify(expect.json)}`;
    case "version":
      return `served by version ${expect.version}`;
  }
}

/** The response expectations only dosim checks, in words: those it alone observes, then those withheld. */
export function responsesInsideOnly(expect: ResponsesExpectation | undefined, withheld: Withheld = new Map()): string[] {
  const said = insideOnly(expect);
  if (expect?.served !== undefined) said.push(`objects served by: ${Object.entries(expect.served).map(([name, label]) => `${name} → ${label}`).join(", ")}`);
  if (expect?.share !== undefined) said.push(`share per version: ${JSON.stringify(expect.share)}`);
  if (expect?.errors !== undefined) said.push(`invocation errors per version (trace events): ${JSON.stringify(expect.errors)}`);
  if (expect?.failures !== undefined) said.push(`failures: ${JSON.stringify(expect.failures)}`);
  for (const [check, why] of withheld) {
    if (expect !== undefined && expect[check] !== undefined) said.push(`${expected(expect, check)}, because ${why}`);
  }
  return said;
}
