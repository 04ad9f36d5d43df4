/**
 * The dev server's request log: one line per request with its method, path, status, the version
 * that served it and, for Durable Objects, each object reached, the version running it and any
 * reset. The facts come from the trace events (which this log also appends to the state
 * directory's trace file) and from the reset ledger. Requests that overlap share their trace
 * drains: the serving version is matched by method and URL; objects and resets are attributed to
 * a request only when it was the only one in flight.
 */
import { appendFileSync } from "node:fs";
import type { ResetRecord } from "../model/ledger.js";
import { RESET_REASON, type TraceEvent } from "../runtime/workers/protocol.js";
import type { Simulator } from "../runtime/simulator.js";

/** A finished request, as the server saw it. */
export interface FinishedRequest {
  readonly method: string;
  /** The URL the Worker saw. */
  readonly url: string;
  readonly status: number;
  readonly elapsedMs: number;
}

/** One object a request reached. */
export interface ObjectVisit {
  readonly id: string;
  readonly name?: string;
  readonly versionId: string;
  /** The request failed because a deployment reset this object while it was in flight. */
  readonly resetInFlight: boolean;
  readonly resets: readonly ResetRecord[];
}

/** The first 8 hex digits of a version id, as the log prints it. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Formats one request line. */
export function formatRequestLine(request: FinishedRequest, versionId: string | undefined, objects: readonly ObjectVisit[]): string {
  const url = new URL(request.url);
  const parts = [`${request.method} ${url.pathname}${url.search}`, String(request.status), `version=${versionId === undefined ? "-" : shortId(versionId)}`];
  for (const object of objects) {
    let text = `object=${object.name ?? shortId(object.id)}@${shortId(object.versionId)}`;
    for (const reset of object.resets) text += ` reset=${shortId(reset.from)}→${shortId(reset.to)}(${reset.cause})`;
    if (object.resetInFlight) text += " reset-in-flight";
    parts.push(text);
  }
  parts.push(`${Math.round(request.elapsedMs)}ms`);
  return parts.join(" ");
}

/** Formats a reset that no request line carries (a deferred deadline passing, an idle object). */
export function formatResetLine(reset: ResetRecord, name: string | undefined): string {
  return `reset object=${name ?? shortId(reset.objectId)} ${shortId(reset.from)}→${shortId(reset.to)} (${reset.cause}${reset.live ? ", live instance dropped" : ""})`;
}

const POOL_LIMIT = 2_000;

/** The log. */
export class RequestLog {
  readonly #sim: Simulator;
  readonly #write: (line: string) => void;
  readonly #traceFile: string;
  readonly #shared: <T>(task: () => Promise<T>) => Promise<T>;
  /** Trace events drained but not yet attributed to a request. */
  #pool: TraceEvent[] = [];
  #resetCursor = 0;
  #inFlight = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(options: { sim: Simulator; write: (line: string) => void; traceFile: string; shared: <T>(task: () => Promise<T>) => Promise<T>; resetCursor: number }) {
    this.#sim = options.sim;
    this.#write = options.write;
    this.#traceFile = options.traceFile;
    this.#shared = options.shared;
    this.#resetCursor = options.resetCursor;
  }

  /** The trace sink to give the simulator: appends to the trace file and keeps events for the log. */
  readonly sink = (events: readonly TraceEvent[]): void => {
    appendFileSync(this.#traceFile, events.map((event) => `${JSON.stringify(event)}\n`).join(""));
    this.#pool.push(...events);
    if (this.#pool.length > POOL_LIMIT) this.#pool.splice(0, this.#pool.length - POOL_LIMIT);
  };

  /** A request started. */
  begin(): void {
    this.#inFlight++;
  }

  /** A request ended: writes its line once its traces are in (lines keep the order of completion). */
  finish(request: FinishedRequest): Promise<void> {
    this.#inFlight--;
    const alone = this.#inFlight === 0;
    const run = this.#chain.then(() => this.#line(request, alone));
    this.#chain = run.catch((error: unknown) => this.#write(`request log: ${error instanceof Error ? error.message : String(error)}`));
    return this.#chain;
  }

  /** Resets recorded since the log last looked (after an account change or a clock tick). */
  async takeResets(): Promise<{ resets: ResetRecord[]; names: Record<string, string | undefined> }> {
    const journal = await this.#sim.journal(this.#resetCursor);
    this.#resetCursor = journal.resetsTotal;
    const ids = [...new Set(journal.resets.map((reset) => reset.objectId))];
    const known = ids.length === 0 ? undefined : await this.#sim.journal(journal.resetsTotal, ids);
    const names = Object.fromEntries(ids.map((id) => [id, known?.objects[id]?.name]));
    return { resets: [...journal.resets], names };
  }

  async #line(request: FinishedRequest, alone: boolean): Promise<void> {
    await this.#shared(() => this.#sim.flushTraces());
    const index = this.#pool.findIndex(
      (event) => event.DurableObject === undefined && event.EventType === "fetch" && event.Event.Request?.Method === request.method && event.Event.Request?.URL === request.url,
    );
    const served = index === -1 ? undefined : this.#pool.splice(index, 1)[0];
    const objectEvents = alone ? this.#pool.filter((event) => event.DurableObject !== undefined) : [];
    if (alone) this.#pool = [];
    let visits: ObjectVisit[] = [];
    const extra: string[] = [];
    if (objectEvents.length > 0) {
      const ids = [...new Set(objectEvents.map((event) => event.DurableObject!.Id))];
      const journal = await this.#shared(() => this.#sim.journal(this.#resetCursor, ids));
      this.#resetCursor = journal.resetsTotal;
      visits = ids.map((id) => {
        const events = objectEvents.filter((event) => event.DurableObject!.Id === id);
        const name = journal.objects[id]?.name;
        return {
          id,
          ...(name !== undefined && { name }),
          versionId: events[events.length - 1]!.ScriptVersion.id,
          resetInFlight: events.some((event) => event.Exceptions.some((exception) => exception.Message === RESET_REASON)),
          resets: journal.resets.filter((reset) => reset.objectId === id),
        };
      });
      for (const reset of journal.resets.filter((reset) => !ids.includes(reset.objectId))) extra.push(formatResetLine(reset, journal.objects[reset.objectId]?.name));
    }
    this.#write(formatRequestLine(request, served?.ScriptVersion.id, visits));
    for (const line of extra) this.#write(line);
  }
}
