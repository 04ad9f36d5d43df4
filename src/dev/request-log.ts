/**
 * The dev server's request log: one line per request with its method, path, status, the version
 * that served it and, for Durable Objects, each object reached, the version running it and any
 * reset. The facts come from the trace events (which this log also appends to the state
 * directory's trace file) and from the reset ledger. Requests that overlap share their trace
 * drains: the serving version and the objects a request forwarded to are matched by method and
 * URL; other object events (RPC, alarms) are given to a request only when no other request ran at
 * any moment of its life, so a line never lists another request's objects. The backlog is bounded
 * and written out at a stop.
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

/** Trace events kept for lines not yet written; the oldest go first beyond this. */
const POOL_LIMIT = 2_000;
/** Lines waiting for their traces; beyond this a line is written at once, without them. */
const BACKLOG_LIMIT = 200;

/** A request in flight, as the log follows it. */
export interface LogTicket {
  /** Trace drains done when it began: its events come in later ones. */
  readonly drainsAtStart: number;
  /** Another request ran at some moment of its life (then only events that name its URL are its own). */
  overlapped: boolean;
}

/** A drained trace event, and the drain that brought it. */
interface PooledEvent {
  readonly event: TraceEvent;
  readonly drain: number;
}

/** The log. */
export class RequestLog {
  readonly #sim: Simulator;
  readonly #write: (line: string) => void;
  readonly #traceFile: string;
  readonly #shared: <T>(task: () => Promise<T>) => Promise<T>;
  /** Trace events drained but not yet attributed to a request. */
  #pool: PooledEvent[] = [];
  #drains = 0;
  /** Flushes this log started, counted as they start; and the count at the start of the latest done. */
  #flushesStarted = 0;
  #flushedThrough = 0;
  #resetCursor = 0;
  readonly #inFlight = new Set<LogTicket>();
  /** Lines queued and not yet written. */
  #backlog = 0;
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
    this.#drains++;
    for (const event of events) this.#pool.push({ event, drain: this.#drains });
    if (this.#pool.length > POOL_LIMIT) this.#pool.splice(0, this.#pool.length - POOL_LIMIT);
  };

  /** A request started. */
  begin(): LogTicket {
    const ticket: LogTicket = { drainsAtStart: this.#drains, overlapped: this.#inFlight.size > 0 };
    for (const other of this.#inFlight) other.overlapped = true;
    this.#inFlight.add(ticket);
    return ticket;
  }

  /**
   * A request ended: its line is written once its traces are in (lines keep the order of
   * completion). Never waited for by the request itself; under a backlog the line goes out at once,
   * without the version and objects, so the log stays bounded and current.
   */
  finish(ticket: LogTicket, request: FinishedRequest): Promise<void> {
    this.#inFlight.delete(ticket);
    const flushesAtFinish = this.#flushesStarted;
    if (this.#backlog >= BACKLOG_LIMIT) {
      this.#write(formatRequestLine(request, undefined, []));
      return this.#chain;
    }
    this.#backlog++;
    const run = this.#chain.then(() => this.#line(ticket, request, flushesAtFinish));
    this.#chain = run
      .catch((error: unknown) => this.#write(`request log: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.#backlog--);
    return this.#chain;
  }

  /** Resolves once every queued line is written (at a stop, so none is lost). */
  drained(): Promise<void> {
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

  async #line(ticket: LogTicket, request: FinishedRequest, flushesAtFinish: number): Promise<void> {
    // A request's trace events are recorded before its response leaves workerd, so a flush started
    // after it finished holds them, and serves every line queued before that flush began. A flush
    // that was already under way when it finished may not (it may have passed its isolate first).
    if (this.#flushedThrough <= flushesAtFinish) {
      const flush = ++this.#flushesStarted;
      await this.#shared(() => this.#sim.flushTraces());
      this.#flushedThrough = Math.max(this.#flushedThrough, flush);
    }
    const mine = (entry: PooledEvent): boolean => entry.event.Event.Request?.Method === request.method && entry.event.Event.Request?.URL === request.url;
    const servedAt = this.#pool.findIndex((entry) => entry.event.DurableObject === undefined && entry.event.EventType === "fetch" && mine(entry));
    const served = servedAt === -1 ? undefined : this.#pool.splice(servedAt, 1)[0]!.event;
    // Object events that carry this request's method and URL are its own. Events without a request
    // (RPC calls, alarms) are its own only when no other request ran meanwhile; an event that
    // carries another request never is (it may be a late trace of a request already logged).
    const unattributed = (entry: PooledEvent): boolean => entry.event.Event.Request === undefined && !ticket.overlapped && entry.drain > ticket.drainsAtStart;
    const taken = new Set(this.#pool.filter((entry) => entry.event.DurableObject !== undefined && (mine(entry) || unattributed(entry))));
    // Once no request runs and no other line waits, what is left belongs to no line: drop it.
    const idle = this.#inFlight.size === 0 && this.#backlog <= 1;
    this.#pool = idle ? [] : this.#pool.filter((entry) => !taken.has(entry));
    const objectEvents = [...taken].map((entry) => entry.event);
    const { visits, extra } = objectEvents.length === 0 ? { visits: [], extra: [] } : await this.#visits(objectEvents);
    this.#write(formatRequestLine(request, served?.ScriptVersion.id, visits));
    for (const line of extra) this.#write(line);
  }

  /** The objects a request reached, and the lines of resets that no request line carries. */
  async #visits(objectEvents: readonly TraceEvent[]): Promise<{ visits: ObjectVisit[]; extra: string[] }> {
    const ids = [...new Set(objectEvents.map((event) => event.DurableObject!.Id))];
    const journal = await this.#shared(() => this.#sim.journal(this.#resetCursor, ids));
    this.#resetCursor = journal.resetsTotal;
    const visits = ids.map((id) => {
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
    const extra = journal.resets.filter((reset) => !ids.includes(reset.objectId)).map((reset) => formatResetLine(reset, journal.objects[reset.objectId]?.name));
    return { visits, extra };
  }
}
