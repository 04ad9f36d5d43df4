/**
 * The invocations of a version isolate as Workers Trace Events: one event per invocation, with the
 * logs it wrote and the exception it ended with. Also the isolate's view of the virtual clock and
 * of its own identity, which every trace event carries.
 */
import { callControl, type ControlRoute } from "./control-call.js";
import { INTERNAL_BINDING_PREFIX, VERSION_BINDINGS, type TraceEvent, type TraceException, type TraceLog, type VersionIdentity } from "./protocol.js";
import { isolateState } from "./isolate-state.js";

/** A version worker's env, dosim's bindings included. */
export type Env = Record<string, unknown>;

const shared = isolateState();

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
export function insideInvocation(): boolean {
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

/**
 * A version loaded into a spare slot after workerd started (slot-runtime.worker.ts) gets the
 * bindings a version worker has statically (its identity, vars, secrets, version metadata) as data
 * when it loads; they are merged into every env here, so the wrappers see one shape either way.
 */
let lateBindings: Env | undefined;

/** Sets the bindings of the version loaded into this slot isolate (once: a slot runs one version). */
export function setLateBindings(bindings: Env): void {
  lateBindings = bindings;
}

/** The env without dosim's internal bindings (cached per env object). */
export function userEnv(env: Env): Env {
  shared.versionEnv ??= env;
  let cleaned = userEnvs.get(env);
  if (cleaned === undefined) {
    const all = lateBindings === undefined ? env : { ...env, ...lateBindings };
    cleaned = Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith(INTERNAL_BINDING_PREFIX)));
    userEnvs.set(env, cleaned);
  }
  return cleaned;
}

/** The identity of the version whose env this is. */
export function identityOf(env: Env): VersionIdentity {
  return (env[VERSION_BINDINGS.identity] ?? lateBindings?.[VERSION_BINDINGS.identity]) as VersionIdentity;
}

/** Runs one invocation and records its trace event. */
export async function traced<T>(env: Env, event: Pick<TraceEvent, "EventType" | "Event" | "DurableObject">, run: () => Promise<T> | T): Promise<T> {
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
export function setClock(nowMs: number): void {
  shared.clockMs = shared.clockMs === undefined ? nowMs : Math.max(shared.clockMs, nowMs);
}

/** Asks the control plane for the virtual time (once per isolate; pushes keep it current). */
async function learnClock(env: Env): Promise<void> {
  setClock(await callControl<number>(controlRoute(env), "clock"));
}

/** How this version reaches the control plane, from its env (RPC, or the bridge without it). */
export function controlRoute(env: Env): ControlRoute {
  return { rpc: identityOf(env).rpc, control: env[VERSION_BINDINGS.control] as DurableObjectNamespace, bridge: env[VERSION_BINDINGS.bridge] as ControlRoute["bridge"] };
}

/** The trace event fields of an HTTP request. */
export function httpEvent(request: Request): Pick<TraceEvent, "EventType" | "Event"> {
  return { EventType: "fetch", Event: { Request: { Method: request.method, URL: request.url } } };
}

/** The trace event fields of an alarm of an object. */
export function alarmEvent(className: string, objectId: string): Pick<TraceEvent, "EventType" | "Event" | "DurableObject"> {
  return { EventType: "alarm", Event: { RpcMethod: "alarm" }, DurableObject: { Class: className, Id: objectId } };
}
