/**
 * Runs inside every version worker, around the user's code: strips dosim's bindings from the env
 * the user sees, records one trace event per invocation, and wraps each Durable Object class so
 * the control plane can check an instance's version when it starts and reset it on demand.
 */
import { DurableObject, WorkerEntrypoint, type DurableObjectState, type ExecutionContext } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";
import {
  CONTROL_OBJECT_NAME,
  INTERNAL_BINDING_PREFIX,
  RESET_REASON,
  ROUTING_EPOCH_GLOBAL,
  VERSION_BINDINGS,
  type TraceEvent,
  type TraceException,
  type TraceLog,
  type VersionIdentity,
  type VersionSync,
} from "./protocol.js";

type Env = Record<string, unknown>;
type AnyFunction = (...args: unknown[]) => unknown;

/** The virtual time this isolate last heard of from the control plane (undefined: not yet asked). */
let clockMs: number | undefined;
let seq = 0;
const traces: TraceEvent[] = [];
const current = new AsyncLocalStorage<TraceLog[]>();

// Logs go to the invocation that made them, and still reach workerd's own output.
for (const level of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    current.getStore()?.push({ Level: level, Message: args.map(loggable), TimestampMs: clockMs ?? 0 });
    original(...args);
  };
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
  if (clockMs === undefined) await learnClock(env);
  const logs: TraceLog[] = [];
  const startMs = clockMs ?? 0;
  const exceptions: TraceException[] = [];
  try {
    return await current.run(logs, run);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    exceptions.push({ Name: e.name, Message: e.message, TimestampMs: clockMs ?? startMs });
    throw error;
  } finally {
    const identity = identityOf(env);
    traces.push({
      EventTimestampMs: startMs,
      EventType: event.EventType,
      Outcome: exceptions.length === 0 ? "ok" : "exception",
      ScriptName: identity.workerName,
      ScriptVersion: { id: identity.id, message: identity.message ?? "", tag: identity.tag ?? "" },
      Exceptions: exceptions,
      Logs: logs,
      Event: event.Event,
      ...(event.DurableObject !== undefined && { DurableObject: event.DurableObject }),
      Seq: seq++,
    });
  }
}

/** Moves this isolate's clock forward (answers can arrive out of order; time never goes back). */
function setClock(nowMs: number): void {
  clockMs = clockMs === undefined ? nowMs : Math.max(clockMs, nowMs);
}

/** Asks the control plane for the virtual time (once per isolate; pushes keep it current). */
async function learnClock(env: Env): Promise<void> {
  setClock(await controlPlane(env).clock());
}

type Handler = { fetch?: (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response> | Response } & Record<
  string,
  unknown
>;

/** Wraps the user's default export (an object of handlers or a WorkerEntrypoint class). */
export function wrapDefaultExport(user: unknown): unknown {
  if (typeof user === "function") {
    const UserEntrypoint = user as new (ctx: ExecutionContext, env: Env) => Handler;
    return class extends (UserEntrypoint as new (ctx: ExecutionContext, env: Env) => object) {
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
  }
  const handlers = user as Handler;
  return {
    ...handlers,
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      if (handlers.fetch === undefined) return new Response("This Worker has no fetch handler", { status: 500 });
      return traced(env, httpEvent(request), () => handlers.fetch!.call(handlers, request, userEnv(env), ctx));
    },
  };
}

function httpEvent(request: Request): Pick<TraceEvent, "EventType" | "Event"> {
  return { EventType: "fetch", Event: { Request: { Method: request.method, URL: request.url } } };
}

/** Method names a wrapped class must not forward as traced RPC. */
const NOT_TRACED = new Set(["constructor", "fetch", "__dosimReset"]);

/** Every method name of a class's prototype chain, up to (not including) DurableObject. */
function methodNames(klass: AnyFunction): string[] {
  const names = new Set<string>();
  for (let proto = klass.prototype as object | null; proto !== null && proto !== DurableObject.prototype && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor !== undefined && typeof descriptor.value === "function" && !NOT_TRACED.has(name)) names.add(name);
    }
  }
  return [...names];
}

/** The control plane's stub, from a version's env. */
function controlPlane(env: Env): ControlPlaneStub {
  const namespace = env[VERSION_BINDINGS.control] as { idFromName(name: string): unknown; get(id: unknown): unknown };
  return namespace.get(namespace.idFromName(CONTROL_OBJECT_NAME)) as ControlPlaneStub;
}

/** The control plane method a wrapped instance calls when it starts. */
interface ControlPlaneStub {
  instanceStarted(report: { className: string; objectId: string; versionId: string; instance: string }): Promise<{ accepted: boolean; nowMs: number }>;
  clock(): Promise<number>;
}

let instanceCounter = 0;

/** What a wrapped instance needs besides the user's fields (kept off the instance itself). */
interface InstanceInfo {
  readonly ctx: DurableObjectState;
  readonly env: Env;
  readonly objectId: string;
  /** False until the instance's start-up (its constructor's blockConcurrencyWhile) is over. */
  ready: boolean;
}
const instances = new WeakMap<object, InstanceInfo>();

/** How many wrapped constructors are running (their method calls are the object's own). */
let constructing = 0;

function infoOf(instance: object): InstanceInfo {
  return instances.get(instance)!;
}

/** True when a method call comes from the object's own code rather than from a caller. */
function isInternalCall(instance: object): boolean {
  if (constructing > 0 || current.getStore() !== undefined) return true;
  const info = instances.get(instance);
  return info === undefined || !info.ready;
}

/**
 * Wraps a user Durable Object class. A new instance first asks the control plane whether its
 * version is the one assigned to this object; if not (it was reached through a stale route), it
 * resets itself before serving anything. `__dosimReset()` resets a live instance on demand.
 */
export function wrapDurableObjectClass(user: unknown, className: string): unknown {
  const UserClass = user as new (ctx: DurableObjectState, env: Env) => object;
  const userFetch = (UserClass.prototype as Record<string, unknown>).fetch as ((this: unknown, r: Request) => Promise<Response>) | undefined;
  class Wrapped extends UserClass {
    constructor(ctx: DurableObjectState, env: Env) {
      constructing++;
      try {
        super(ctx, userEnv(env));
      } finally {
        constructing--;
      }
      const objectId = ctx.id.toString();
      const info: InstanceInfo = { ctx, env, objectId, ready: false };
      instances.set(this, info);
      const versionId = identityOf(env).id;
      const instance = `${versionId}#${++instanceCounter}`;
      // Queued after any blockConcurrencyWhile of the user's constructor; nothing is served before it.
      void ctx.blockConcurrencyWhile(async () => {
        const answer = await controlPlane(env).instanceStarted({ className, objectId, versionId, instance });
        setClock(answer.nowMs);
        info.ready = true;
        if (!answer.accepted) ctx.abort(RESET_REASON);
      });
    }

    /** Resets this instance: in-flight and queued callers get the reset error; storage survives. */
    __dosimReset(): void {
      infoOf(this).ctx.abort(RESET_REASON);
    }

    fetch(request: Request): Promise<Response> {
      if (userFetch === undefined) throw new Error(`${className} has no fetch handler`);
      if (isInternalCall(this)) return userFetch.call(this, request);
      const { env, objectId } = infoOf(this);
      return traced(env, { ...httpEvent(request), DurableObject: { Class: className, Id: objectId } }, () => userFetch.call(this, request));
    }
  }
  for (const name of methodNames(UserClass as unknown as AnyFunction)) {
    const original = (UserClass.prototype as Record<string, AnyFunction>)[name]!;
    const eventType = name === "alarm" ? "alarm" : "rpc";
    Object.defineProperty(Wrapped.prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: object, ...args: unknown[]) {
        // A call from the object's own code (constructor, start-up, or inside an invocation) is
        // not an invocation: it runs as written, synchronously if it was synchronous.
        if (isInternalCall(this)) return original.apply(this, args);
        const { env, objectId } = infoOf(this);
        return traced(env, { EventType: eventType, Event: { RpcMethod: name }, DurableObject: { Class: className, Id: objectId } }, () =>
          original.apply(this, args),
        );
      },
    });
  }
  return Wrapped;
}

/** The entrypoint the control plane uses to read traces and set the clock of this isolate. */
export class DosimVersionControl extends WorkerEntrypoint {
  /** Returns and forgets the trace events recorded so far. */
  drainTraces(): TraceEvent[] {
    return traces.splice(0, traces.length);
  }

  /** Tells this isolate the virtual time and that object assignments may have changed. */
  sync(update: VersionSync): void {
    setClock(update.nowMs);
    (globalThis as Record<string, unknown>)[ROUTING_EPOCH_GLOBAL] = update.epoch;
  }
}
