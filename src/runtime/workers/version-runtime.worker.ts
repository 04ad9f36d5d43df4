/**
 * Runs inside every version worker, around the user's code: strips dosim's bindings from the env
 * the user sees, records one trace event per invocation, and wraps each Durable Object class so
 * the control plane can check an instance's version when it starts and reset it on demand.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { callControl, type ControlRoute } from "./control-call.js";
import { asResettableClass } from "./classic-class.js";
import {
  BODY_LENGTH_HEADER,
  INTERNAL_BINDING_PREFIX,
  RESET_REASON,
  VERSION_BINDINGS,
  type TraceEvent,
  type TraceException,
  type TraceLog,
  type VersionIdentity,
  type VersionSync,
} from "./protocol.js";
import { isolateState } from "./isolate-state.js";
import { runBatch, type Batch, type BatchOutcome } from "./bulk-batch.js";
import { alarmIsDue, handOverAlarm } from "./alarm-handover.js";
import { servedStandardSocket, watchStandardSockets } from "./standard-sockets.js";

type Env = Record<string, unknown>;
type AnyFunction = (...args: unknown[]) => unknown;

const shared = isolateState();
watchStandardSockets();

/**
 * The logs of the invocations in flight in this isolate, newest last. A log line goes to the
 * invocation running synchronously when it is written (`running`), else to the newest one in
 * flight. Without async context tracking (which costs every promise of the isolate) this is exact
 * while one invocation runs at a time and a close guess under concurrency.
 */
const inFlight: TraceLog[][] = [];
let running: TraceLog[] | undefined;

// Logs go to the invocation that made them, and still reach workerd's own output.
for (const level of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    const logs = running ?? inFlight[inFlight.length - 1];
    logs?.push({ Level: level, Message: args.map(loggable), TimestampMs: shared.clockMs ?? 0 });
    original(...args);
  };
}

/** Whether a call comes from code already inside an invocation of this isolate. */
function insideInvocation(): boolean {
  return running !== undefined;
}

function loggable(value: unknown): unknown {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as unknown;
  } catch {
    return String(value);
  }
}

const userEnvs = new WeakMap<object, Env>();

/** The env without dosim's internal bindings (cached per env object). */
function userEnv(env: Env): Env {
  let cleaned = userEnvs.get(env);
  if (cleaned === undefined) {
    cleaned = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith(INTERNAL_BINDING_PREFIX)));
    userEnvs.set(env, cleaned);
  }
  return cleaned;
}

function identityOf(env: Env): VersionIdentity {
  return env[VERSION_BINDINGS.identity] as VersionIdentity;
}

/** Runs one invocation and records its trace event. */
async function traced<T>(
  env: Env,
  event: Pick<TraceEvent, "EventType" | "Event" | "DurableObject">,
  run: () => Promise<T> | T,
): Promise<T> {
  if (shared.clockMs === undefined) await learnClock(env);
  const logs: TraceLog[] = [];
  const startMs = shared.clockMs ?? 0;
  const exceptions: TraceException[] = [];
  inFlight.push(logs);
  const outer = running;
  running = logs;
  try {
    let result: Promise<T> | T;
    try {
      result = run();
    } finally {
      running = outer;
    }
    return await result;
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    exceptions.push({ Name: e.name, Message: e.message, TimestampMs: shared.clockMs ?? startMs });
    throw error;
  } finally {
    inFlight.splice(inFlight.lastIndexOf(logs), 1);
    const identity = identityOf(env);
    shared.traces.push({
      EventTimestampMs: startMs,
      EventType: event.EventType,
      Outcome: exceptions.length === 0 ? "ok" : "exception",
      ScriptName: identity.workerName,
      ScriptVersion: { id: identity.id, message: identity.message ?? "", tag: identity.tag ?? "" },
      Exceptions: exceptions,
      Logs: logs,
      Event: event.Event,
      ...(event.DurableObject !== undefined && { DurableObject: event.DurableObject }),
      Seq: shared.seq++,
    });
  }
}

/** Moves this isolate's clock forward (answers can arrive out of order; time never goes back). */
function setClock(nowMs: number): void {
  shared.clockMs = shared.clockMs === undefined ? nowMs : Math.max(shared.clockMs, nowMs);
}

/** Asks the control plane for the virtual time (once per isolate; pushes keep it current). */
async function learnClock(env: Env): Promise<void> {
  setClock(await callControl<number>(controlRoute(env), "clock"));
}

type Handler = { fetch?: (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response> | Response } & Record<
  string,
  unknown
>;

/** The wrapped default export's fetch, for bulk traffic run inside this isolate. */
let wrappedFetch: ((request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>) | undefined;

/** Wraps the user's default export (an object of handlers or a WorkerEntrypoint class). */
export function wrapDefaultExport(user: unknown): unknown {
  if (typeof user === "function") {
    const UserEntrypoint = user as new (ctx: ExecutionContext, env: Env) => Handler;
    const Wrapped = class extends (UserEntrypoint as new (ctx: ExecutionContext, env: Env) => object) {
      #env: Env;
      constructor(ctx: ExecutionContext, env: Env) {
        super(ctx, userEnv(env));
        this.#env = env;
      }
      async fetch(request: Request): Promise<Response> {
        const parent = UserEntrypoint.prototype.fetch as (this: unknown, request: Request) => Promise<Response>;
        return traced(this.#env, httpEvent(request), () => parent.call(this, request));
      }
    };
    wrappedFetch = (request, env, ctx) => new Wrapped(ctx, env).fetch(request);
    return Wrapped;
  }
  const handlers = user as Handler;
  const wrapped = {
    ...handlers,
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      if (handlers.fetch === undefined) return new Response("This Worker has no fetch handler", { status: 500 });
      return traced(env, httpEvent(request), () => handlers.fetch!.call(handlers, request, userEnv(env), ctx));
    },
  };
  wrappedFetch = (request, env, ctx) => wrapped.fetch(request, env, ctx);
  return wrapped;
}

function httpEvent(request: Request): Pick<TraceEvent, "EventType" | "Event"> {
  return { EventType: "fetch", Event: { Request: { Method: request.method, URL: request.url } } };
}

/** How this version reaches the control plane, from its env (RPC, or the bridge without it). */
function controlRoute(env: Env): ControlRoute {
  return { rpc: identityOf(env).rpc, control: env[VERSION_BINDINGS.control] as DurableObjectNamespace, bridge: env[VERSION_BINDINGS.bridge] as ControlRoute["bridge"] };
}

/** The answer to an instance's start report. */
interface StartAnswer {
  readonly accepted: boolean;
  readonly nowMs: number;
}

let instanceCounter = 0;

/** What a wrapped instance needs besides the user's fields (kept off the instance itself). */
interface InstanceInfo {
  readonly ctx: DurableObjectState;
  readonly env: Env;
  readonly objectId: string;
  /** False until the instance's start-up (its constructor's blockConcurrencyWhile) is over. */
  ready: boolean;
  /**
   * True for an instance of a version that no longer runs the object, kept only to hand over the
   * due alarm that woke it (see alarm-handover.ts); it serves nothing else.
   */
  stale: boolean;
}
const instances = new WeakMap<object, InstanceInfo>();

/** How many wrapped constructors are running (their method calls are the object's own). */
let constructing = 0;

function infoOf(instance: object): InstanceInfo {
  return instances.get(instance)!;
}

/** True when a method call comes from the object's own code rather than from a caller. */
function isInternalCall(instance: object): boolean {
  if (constructing > 0 || insideInvocation()) return true;
  const info = instances.get(instance);
  return info === undefined || !info.ready;
}

/**
 * Wraps a user Durable Object class. A new instance first asks the control plane whether its
 * version is the one assigned to this object; if not (it was reached through a stale route), it
 * resets itself before serving anything. `__dosimReset()` resets a live instance on demand.
 */
export function wrapDurableObjectClass(user: unknown, className: string): unknown {
  if (typeof user !== "function") {
    throw new Error(`the main module does not export the Durable Object class ${className} that the config binds; export it (export class ${className} ...) or remove its binding`);
  }
  // A classic class (no `extends DurableObject`) takes no RPC, so it is first given a
  // DurableObject shell that dosim's reset call can reach.
  const UserClass = asResettableClass(user, className) as new (ctx: DurableObjectState, env: Env) => object;
  const userFetch = (UserClass.prototype as Record<string, unknown>).fetch as ((this: unknown, r: Request) => Promise<Response>) | undefined;
  const userAlarm = (UserClass.prototype as Record<string, unknown>).alarm as AnyFunction | undefined;
  class Wrapped extends UserClass {
    constructor(ctx: DurableObjectState, env: Env) {
      constructing++;
      try {
        super(ctx, userEnv(env));
      } finally {
        constructing--;
      }
      const objectId = ctx.id.toString();
      const info: InstanceInfo = { ctx, env, objectId, ready: false, stale: false };
      instances.set(this, info);
      const versionId = identityOf(env).id;
      const instance = `${versionId}#${++instanceCounter}`;
      // Queued after any blockConcurrencyWhile of the user's constructor; nothing is served before it.
      void ctx.blockConcurrencyWhile(async () => {
        const answer = await callControl<StartAnswer>(controlRoute(env), "instanceStarted", { className, objectId, versionId, instance });
        setClock(answer.nowMs);
        info.ready = true;
        if (answer.accepted) return;
        // workerd keeps an alarm on the namespace (version) that set it: a due alarm may wake an
        // instance of a version that no longer runs the object. That instance lives on just long
        // enough to hand the alarm over; anything else it is asked is refused as a reset.
        if (userAlarm !== undefined && (await alarmIsDue(ctx))) info.stale = true;
        else ctx.abort(RESET_REASON);
      });
    }

    /** Resets this instance: in-flight and queued callers get the reset error; storage survives. */
    __dosimReset(): void {
      infoOf(this).ctx.abort(RESET_REASON);
    }

    /** Runs an alarm handed over by an instance of the version that set it (see alarm-handover.ts). */
    __dosimAlarm(alarmInfo: unknown): Promise<unknown> | undefined {
      if (userAlarm === undefined) return undefined; // this version has no alarm handler: nothing to run
      const { env, objectId } = infoOf(this);
      return traced(env, alarmEvent(className, objectId), () => userAlarm.call(this, alarmInfo));
    }

    fetch(request: Request): Promise<Response> {
      if (userFetch === undefined) throw new Error(`${className} has no fetch handler`);
      if (infoOf(this)?.stale === true) {
        infoOf(this).ctx.abort(RESET_REASON);
        throw Object.assign(new Error(RESET_REASON), { durableObjectReset: true });
      }
      if (isInternalCall(this)) return userFetch.call(this, request);
      const { env, objectId } = infoOf(this);
      return traced(env, { ...httpEvent(request), DurableObject: { Class: className, Id: objectId } }, async () => {
        const response = await userFetch.call(this, request);
        // A standard-API socket keeps the instance from hibernating: the lifecycle must know.
        if (servedStandardSocket(response)) await callControl(controlRoute(env), "cannotHibernate", { objectId });
        return wholeBody(response);
      });
    }
  }
  // Alarms come from workerd, not through the routing binding, so they are traced here. (RPC calls
  // are traced by the routing binding: wrapping every method would also catch the object's calls
  // to its own methods.)
  if (userAlarm !== undefined) {
    defineTraced(Wrapped.prototype, "alarm", userAlarm, (info, args) =>
      info.stale ? handOverAlarm({ ctx: info.ctx, route: controlRoute(info.env), className, objectId: info.objectId }, args[0]) : traced(info.env, alarmEvent(className, info.objectId), () => userAlarm.apply(info.self, args)),
    );
  }
  // Hibernatable WebSocket events come from workerd too; each is one invocation.
  for (const [method, kind] of SOCKET_HANDLERS) {
    const user = (UserClass.prototype as Record<string, unknown>)[method] as AnyFunction | undefined;
    if (user === undefined) continue;
    defineTraced(Wrapped.prototype, method, user, (info, args) =>
      traced(info.env, { EventType: "hibernatable_web_socket", Event: { WebSocketEventType: kind }, DurableObject: { Class: className, Id: info.objectId } }, () => user.apply(info.self, args)),
    );
  }
  return Wrapped;
}

/** The hibernatable WebSocket handlers, and the event kind each one's trace event names. */
const SOCKET_HANDLERS = [
  ["webSocketMessage", "message"],
  ["webSocketClose", "close"],
  ["webSocketError", "error"],
] as const;

/**
 * Defines a handler workerd calls (alarm, WebSocket events) on the wrapped prototype. A call from
 * the object's own code (constructor, start-up, or inside an invocation) is not an invocation: it
 * runs as written, synchronously if it was synchronous; any other call goes to `invoke`.
 */
function defineTraced(prototype: object, name: string, user: AnyFunction, invoke: (info: InstanceInfo & { self: object }, args: unknown[]) => unknown): void {
  Object.defineProperty(prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: object, ...args: unknown[]) {
      if (isInternalCall(this)) return user.apply(this, args);
      return invoke({ ...infoOf(this), self: this }, args);
    },
  });
}

function alarmEvent(className: string, objectId: string): Pick<TraceEvent, "EventType" | "Event" | "DurableObject"> {
  return { EventType: "alarm", Event: { RpcMethod: "alarm" }, DurableObject: { Class: className, Id: objectId } };
}

/**
 * The object's answer with its body read whole and its length declared ({@link BODY_LENGTH_HEADER}).
 * A reset aborts the object while its answer's body is still being sent, so the caller could
 * otherwise get a 200 with an empty or cut body; now it can tell. WebSocket upgrades and event
 * streams (which never end) pass as they are.
 */
async function wholeBody(response: Response): Promise<Response> {
  const streaming = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
  if (response.status === 101 || (response as { webSocket?: unknown }).webSocket != null || streaming) return response;
  const bytes = await response.arrayBuffer();
  const headers = new Headers(response.headers);
  headers.set(BODY_LENGTH_HEADER, String(bytes.byteLength));
  return new Response(response.body === null ? null : bytes, { status: response.status, statusText: response.statusText, headers });
}

/** The entrypoint the control plane uses to read traces and set the clock of this isolate. */
export class DosimVersionControl extends WorkerEntrypoint {
  /** Returns and forgets the trace events recorded so far. */
  drainTraces(): TraceEvent[] {
    return shared.traces.splice(0, shared.traces.length);
  }

  /** Tells this isolate the virtual time and that object assignments may have changed. */
  sync(update: VersionSync): void {
    setClock(update.nowMs);
    shared.epoch = update.epoch;
  }

  /**
   * Runs a batch of bulk requests the edge routed to this version through the same wrapped fetch
   * handler as requests from outside, in this isolate: one RPC per batch instead of one
   * service-binding hop per request.
   */
  runBatch(batch: Batch): Promise<BatchOutcome> {
    const fetch = wrappedFetch;
    if (fetch === undefined) throw new Error("dosim: this version has no default export to send bulk traffic to");
    return runBatch((request) => fetch(request, this.env as Env, this.ctx), batch);
  }
}
