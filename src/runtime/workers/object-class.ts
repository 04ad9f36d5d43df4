/**
 * The wrapper around each Durable Object class a version exports: a new instance first asks the
 * control plane whether its version is the one assigned to the object (if not, it was reached
 * through a stale route and resets before serving anything); every invocation is traced and
 * counted as in flight; and the control plane can shut an instance down as the platform does
 * (src/model/shutdown.ts, instance-shutdown.ts) or end it outright.
 */
import { callControl } from "./control-call.js";
import { asResettableClass } from "./classic-class.js";
import { BODY_LENGTH_HEADER, RESET_REASON } from "./protocol.js";
import { alarmIsDue, handOverAlarm } from "./alarm-handover.js";
import { servedStandardSocket } from "./standard-sockets.js";
import { withRoutedExports } from "./ctx-exports.js";
import { alarmEvent, controlRoute, httpEvent, identityOf, insideInvocation, setClock, traced, userEnv, type Env } from "./invocation-trace.js";
import { counted, guardStorage, newDrain, resetError, stopStorage, type Drain } from "./instance-shutdown.js";
import { heldInObject } from "./call-hold.js";

type AnyFunction = (...args: unknown[]) => unknown;

/** The answer to an instance's start report. */
interface StartAnswer {
  readonly accepted: boolean;
  readonly nowMs: number;
}

/** What a shut-down instance answers: it ended at once, or it runs on until its work in flight is done. */
export type ShutdownAnswer = "ended" | "draining";

let instanceCounter = 0;

/** What a wrapped instance needs besides the user's fields (kept off the instance itself). */
interface InstanceInfo {
  readonly ctx: DurableObjectState;
  readonly env: Env;
  readonly objectId: string;
  readonly drain: Drain;
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

/** The methods dosim defines on every wrapped class (never counted as the user's invocations). */
const OWN_METHODS = new Set(["constructor", "fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError", "__dosimShutdown", "__dosimEndIfDrained", "__dosimAlarm"]);

/** Wraps a user Durable Object class (see the module comment). */
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
      guardStorage(ctx.storage);
      constructing++;
      try {
        super(withRoutedExports(ctx, env), userEnv(env));
      } finally {
        constructing--;
      }
      const objectId = ctx.id.toString();
      const info: InstanceInfo = { ctx, env, objectId, drain: newDrain(), ready: false, stale: false };
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
      // workerd calls the instance it constructed: that one counts its callers' calls.
      return callersView(this, info);
    }

    /**
     * Shuts this instance down: its storage is stopped at once and it serves nothing new; with no
     * work in flight it ends now (callers and sockets get the reset), else the work runs on.
     */
    __dosimShutdown(): ShutdownAnswer {
      const { ctx, drain } = infoOf(this);
      drain.shuttingDown = true;
      stopStorage(ctx.storage);
      if (drain.inFlight > 0) return "draining";
      ctx.abort(RESET_REASON);
      return "ended";
    }

    /**
     * Ends a shut-down instance whose work in flight is done, or any when its grace period is over.
     * An instance that was never shut down is a new one the call itself started (the draining one
     * had ended): the one that was asked about is gone, and this one is left alone.
     */
    __dosimEndIfDrained(graceOver: boolean): ShutdownAnswer {
      const { ctx, drain } = infoOf(this);
      if (!drain.shuttingDown) return "ended";
      if (!graceOver && drain.inFlight > 0) return "draining";
      ctx.abort(RESET_REASON);
      return "ended";
    }

    /** Runs an alarm handed over by an instance of the version that set it (see alarm-handover.ts). */
    __dosimAlarm(alarmInfo: unknown): Promise<unknown> | undefined {
      if (userAlarm === undefined) return undefined; // this version has no alarm handler: nothing to run
      const { env, objectId, drain } = infoOf(this);
      return counted(drain, () => traced(env, alarmEvent(className, objectId), () => userAlarm.call(this, alarmInfo)));
    }

    fetch(request: Request): Promise<Response> {
      if (userFetch === undefined) throw new Error(`${className} has no fetch handler`);
      const info = infoOf(this);
      if (info?.stale === true) {
        info.ctx.abort(RESET_REASON);
        throw resetError();
      }
      if (isInternalCall(this)) return userFetch.call(this, request);
      // A request that reaches a shut-down instance would reach a new one on the platform; here
      // it was routed before the shutdown, and gets the reset error.
      if (info.drain.shuttingDown) throw resetError();
      const { env, objectId, drain } = info;
      return counted(drain, () =>
        traced(env, { ...httpEvent(request), DurableObject: { Class: className, Id: objectId } }, async () => {
          const response = await userFetch.call(this, await heldInObject(request));
          // A standard-API socket keeps the instance from hibernating: the lifecycle must know.
          if (servedStandardSocket(response)) await callControl(controlRoute(env), "cannotHibernate", { objectId });
          return wholeBody(response);
        }),
      );
    }
  }
  // Alarms come from workerd, not through the routing binding, so they are traced here. (RPC calls
  // are traced by the routing binding: wrapping every method would also catch the object's calls
  // to its own methods.)
  if (userAlarm !== undefined) {
    defineInvocation(Wrapped.prototype, "alarm", userAlarm, (info, args) =>
      // An alarm that rings on a stale or shut-down instance belongs to the version that runs the object now.
      info.stale || info.drain.shuttingDown ? handOverAlarm({ ctx: info.ctx, route: controlRoute(info.env), className, objectId: info.objectId }, args[0]) : traced(info.env, alarmEvent(className, info.objectId), () => userAlarm.apply(info.self, args)),
    );
  }
  // Hibernatable WebSocket events come from workerd too; each is one invocation.
  for (const [method, kind] of SOCKET_HANDLERS) {
    const handler = (UserClass.prototype as Record<string, unknown>)[method] as AnyFunction | undefined;
    if (handler === undefined) continue;
    defineInvocation(Wrapped.prototype, method, handler, (info, args) =>
      traced(info.env, { EventType: "hibernatable_web_socket", Event: { WebSocketEventType: kind }, DurableObject: { Class: className, Id: info.objectId } }, () => handler.apply(info.self, args)),
    );
  }
  // Code that names its class (or a library's, from `this.constructor`) sees the user's name.
  Object.defineProperty(Wrapped, "name", { value: (UserClass as { name?: string }).name || className });
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
 * runs as written, synchronously if it was synchronous; any other call goes to `invoke`, counted
 * as in flight.
 */
function defineInvocation(prototype: object, name: string, user: AnyFunction, invoke: (info: InstanceInfo & { self: object }, args: unknown[]) => unknown): void {
  Object.defineProperty(prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: object, ...args: unknown[]) {
      if (isInternalCall(this)) return user.apply(this, args);
      const info = infoOf(this);
      return counted(info.drain, () => invoke({ ...info, self: this }, args));
    },
  });
}

/**
 * The instance as workerd and every caller see it: each method they call runs on the instance
 * itself, and a call of the user's methods (an RPC call is one) is counted as in flight, so a shut-
 * down instance knows when its work is done. Only counts: the call runs as written, synchronously if
 * it was synchronous. The object's own code keeps the instance itself as `this`, so its calls to its
 * own methods are not counted again, its private fields work, and its class's prototype is the
 * wrapper's, which holds dosim's methods only: code that looks for methods a subclass defines
 * (Object.getPrototypeOf(this), as the Agents SDK does) finds the user's, not copies.
 */
function callersView<T extends object>(instance: T, info: InstanceInfo): T {
  const bound = new Map<PropertyKey, { readonly of: AnyFunction; readonly view: AnyFunction }>();
  return new Proxy(instance, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      const known = bound.get(property);
      if (known?.of === value) return known.view;
      const method = value as AnyFunction;
      // dosim's methods (and workerd's handlers, which dosim wraps) count themselves.
      const dosims = typeof property !== "string" || OWN_METHODS.has(property);
      const view = dosims ? method.bind(target) : (...args: unknown[]) => counted(info.drain, () => method.apply(target, args));
      bound.set(property, { of: method, view });
      return view;
    },
  });
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
