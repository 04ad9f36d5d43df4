/**
 * The Durable Object binding user code sees (`env.COUNTER`), as a Miniflare wrapped binding. It has
 * the whole namespace surface; every call through one of its stubs first asks the control plane
 * which version runs that object (the model's assignment for the current deployment, whichever
 * version is calling), then goes to that version's namespace through the object router
 * (object-router.ts), which holds every deployed version's namespace once.
 */
import { isolateState } from "./isolate-state.js";
import { waitForHold, withHold } from "./call-hold.js";
import { callControl, type ControlRoute } from "./control-call.js";
import { objectStubOn } from "./object-stub.js";
import { BODY_LENGTH_HEADER, OBJECT_ROUTE_HEADER, RESET_REASON, type ObjectRoute, type TraceEvent } from "./protocol.js";
import type { SlotAnswer } from "./slot-table.js";

/** The object router's entrypoint: `fetch` for any compatibility date, `invoke` and `read` where the isolate has RPC. */
interface ObjectRouter {
  fetch(request: Request): Promise<Response>;
  invoke(route: ObjectRoute, method: string, args: unknown[]): Promise<unknown>;
  read(route: ObjectRoute, property: string): Promise<unknown>;
}

/**
 * The inner bindings: the object router, the control plane (and dosim's bridge to it, for a user's
 * compatibility date without RPC), which class this is, and the namespace that mints its ids.
 */
type RouterEnv = Record<string, unknown> & {
  readonly className: string;
  /** The unique key of the calling version's class: a renamed class reaches its objects under the old name in older versions. */
  readonly uniqueKey?: string;
  /** Whether the calling version's isolate has JS RPC. */
  readonly rpc: boolean;
  readonly workerName: string;
  /**
   * The calling version, and the binding of its worker that holds its own namespace of this class
   * (absent in a spare slot): an object that runs on the calling version is called through it.
   */
  readonly own?: { readonly versionId: string; readonly binding: string };
  /** The binding of the namespace that mints ids (absent when no deployed version has the class). */
  readonly ids?: string;
  readonly CONTROL: DurableObjectNamespace;
  readonly BRIDGE: ControlRoute["bridge"];
  readonly OBJECTS: ObjectRouter;
};

/** The control plane's answer: the object's version, its slot when it was loaded into one, and its annotations. */
interface ObjectVersionAnswer extends SlotAnswer {
  readonly versionId: string;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Where calls to one object go while the epoch lasts. */
interface Target {
  readonly route: ObjectRoute;
  /** The version's annotations, which its traces carry. */
  readonly annotations: { readonly tag?: string; readonly message?: string };
}

const shared = isolateState();

/** The routing epoch of this isolate (the version worker's control entrypoint sets it). */
function currentEpoch(): number | undefined {
  return shared.epoch;
}

/**
 * Records an RPC call to an object as a trace event of the version that ran it. RPC is traced on
 * the calling side: wrapping the class's methods would also catch the object's calls to its own
 * methods, and would make synchronous ones asynchronous.
 */
function traceRpc(workerName: string, call: { versionId: string; annotations: Target["annotations"]; className: string; objectId: string; method: string; startMs: number; error?: unknown }): void {
  const exceptions: TraceEvent["Exceptions"] =
    call.error === undefined
      ? []
      : [{ Name: call.error instanceof Error ? call.error.name : "Error", Message: call.error instanceof Error ? call.error.message : String(call.error), TimestampMs: shared.clockMs ?? call.startMs }];
  shared.traces.push({
    EventTimestampMs: call.startMs,
    EventType: "rpc",
    Outcome: call.error === undefined ? "ok" : "exception",
    ScriptName: workerName,
    ScriptVersion: { id: call.versionId, message: call.annotations.message ?? "", tag: call.annotations.tag ?? "" },
    Exceptions: exceptions,
    Logs: [],
    Event: { RpcMethod: call.method },
    DurableObject: { Class: call.className, Id: call.objectId },
    Seq: shared.seq++,
  });
}

/** The error a caller gets when a reset hits the object under its request. */
function resetError(): Error {
  return Object.assign(new Error(RESET_REASON), { durableObjectReset: true });
}

/**
 * Rethrows an error from an object call, as the reset error (flag included) when the object threw
 * it: a shut-down instance's storage throws it inside the object (instance-shutdown.ts), and an
 * error's own properties do not cross from the object to its caller.
 */
function rethrowReset(error: unknown): never {
  if (error instanceof Error && (error as { durableObjectReset?: unknown }).durableObjectReset !== true && error.message === RESET_REASON) throw resetError();
  throw error;
}

/**
 * An object's answer with its whole body, or the reset error when a reset cut the body short (the
 * object declared its length, see {@link BODY_LENGTH_HEADER}): the caller never sees a cut 200.
 */
async function completeAnswer(response: Response): Promise<Response> {
  const declared = response.headers.get(BODY_LENGTH_HEADER);
  if (declared === null) return response;
  let bytes: ArrayBuffer;
  try {
    bytes = await response.arrayBuffer();
  } catch (error) {
    throw (error as { durableObjectReset?: unknown } | null)?.durableObjectReset === true ? error : resetError();
  }
  if (bytes.byteLength !== Number(declared)) throw resetError();
  const headers = new Headers(response.headers);
  headers.delete(BODY_LENGTH_HEADER);
  return new Response(response.body === null ? null : bytes, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The calling version's own namespace of the object's class, when the object runs on the calling
 * version and the version's wrapper has seen its env (always so once user code runs): a call
 * there needs no hop through the object router.
 */
function ownNamespace(env: RouterEnv, target: Target): DurableObjectNamespace | undefined {
  if (env.own === undefined || target.route.slot !== undefined || target.route.versionId !== env.own.versionId) return undefined;
  return shared.versionEnv?.[env.own.binding] as DurableObjectNamespace | undefined;
}

/** An object's request, marked with its route for the object router. */
function routedRequest(args: unknown[], route: ObjectRoute): Request {
  const request = new Request(args[0] as Request | string | URL, args[1] as RequestInit | undefined);
  request.headers.set(OBJECT_ROUTE_HEADER, JSON.stringify(route));
  return request;
}

/**
 * A member of an RPC stub or result, as workerd's RPC gives it: callable (`invoke`), awaitable
 * (`read`), and offering members of its own before it resolves, so `stub.session().add(1)` and
 * `await stub.info().nested` work without an `await` in between (promise pipelining). Here each
 * step waits for the one before it; the answers are the same.
 */
function rpcMember(invoke: (...args: unknown[]) => Promise<unknown>, read: () => Promise<unknown>): unknown {
  return new Proxy(() => undefined, {
    apply: (_target, _this, args: unknown[]) => pipelined(invoke(...args)),
    get(_target, property) {
      if (property === "then") return (onValue?: (value: unknown) => unknown, onError?: (error: unknown) => unknown) => read().then(onValue, onError);
      if (typeof property === "symbol") return undefined;
      return memberOf(read(), property);
    },
  });
}

/** The member `property` of what `parent` resolves to. */
function memberOf(parent: Promise<unknown>, property: string): unknown {
  return rpcMember(
    (...args) => parent.then((value) => (value as Record<string, AnyFunction>)[property]!(...args)),
    () => parent.then((value) => (value as Record<string, unknown>)[property]),
  );
}

/**
 * The prototype of a pipelined promise: Promise's own members, and for any other name the member of
 * what the promise resolves to. The promise stays a real one (ctx.waitUntil and native code accept
 * it as such, and it is still an instance of Promise); only where its unknown members come from
 * changes.
 */
const PIPELINED = new Proxy(Object.create(Promise.prototype) as object, {
  get(target, property, receiver) {
    if (typeof property === "symbol" || property in target) return Reflect.get(target, property, receiver) as unknown;
    return memberOf(receiver as Promise<unknown>, property);
  },
});

/** `promise`, offering the members of what it resolves to as well (see {@link rpcMember}). */
function pipelined(promise: Promise<unknown>): Promise<unknown> {
  Object.setPrototypeOf(promise, PIPELINED);
  return promise;
}

/** Builds the routing namespace for one class. */
export default function createRoutingNamespace(env: RouterEnv): DurableObjectNamespace {
  const { className, workerName } = env;
  // Ids are the same in every version's namespace (one unique key per class): any one mints them.
  const ids = (env.ids === undefined ? undefined : env[env.ids]) as DurableObjectNamespace;
  const route: ControlRoute = { rpc: env.rpc, control: env.CONTROL, bridge: env.BRIDGE };
  const names = new Map<string, string>();
  // Resolved targets, valid while the routing epoch the control plane pushed is unchanged: between
  // two pushes no object can change version, and asking again would only repeat the answer.
  let cache = new Map<string, Target>();
  let cacheEpoch = currentEpoch();

  /** The version that runs the object now, and how the object router reaches it there. */
  async function resolve(id: DurableObjectId): Promise<Target> {
    const objectId = id.toString();
    const epoch = currentEpoch();
    if (epoch !== cacheEpoch) {
      cache = new Map();
      cacheEpoch = epoch;
    }
    const cached = cache.get(objectId);
    if (cached !== undefined) return cached;
    const name = names.get(objectId) ?? id.name;
    const answer = await callControl<ObjectVersionAnswer>(route, "objectVersion", { className, objectId, ...(name !== undefined && { name }) });
    // A version loaded after start runs in the spare slot the control plane names.
    const objectRoute: ObjectRoute = { versionId: answer.versionId, ...(answer.slot !== undefined && { slot: answer.slot }), className, ...(env.uniqueKey !== undefined && { uniqueKey: env.uniqueKey }), objectId, ...(name !== undefined && { name }) };
    const annotations = { ...(answer.tag !== undefined && { tag: answer.tag }), ...(answer.message !== undefined && { message: answer.message }) };
    const target: Target = { route: objectRoute, annotations };
    if (currentEpoch() === epoch && epoch === cacheEpoch) cache.set(objectId, target);
    return target;
  }

  function stubFor(id: DurableObjectId, name?: string): DurableObjectStub {
    if (name !== undefined) names.set(id.toString(), name);
    // `read`: the property itself is awaited (`await stub.answer`), not called.
    const call = (method: string, read = false) =>
      async (...args: unknown[]) => {
        const resolved = await resolve(id);
        const { route: { versionId }, annotations } = resolved;
        const own = ownNamespace(env, resolved);
        const stub = own === undefined ? undefined : (objectStubOn(own, resolved.route.objectId, resolved.route.name) as unknown as Record<string, AnyFunction>);
        // fetch is traced inside the object, where its logs are; a hold waits there too.
        if (method === "fetch" && !read) {
          const answer = stub !== undefined ? (stub.fetch!(...withHold(args)) as Promise<Response>) : env.OBJECTS.fetch(routedRequest(withHold(args), resolved.route));
          return completeAnswer((await answer.catch(rethrowReset)) as Response);
        }
        // Without RPC an object's stub has no methods but fetch, as on the platform.
        const target: Record<string, AnyFunction> = stub ?? (env.rpc ? { [method]: (...callArgs: unknown[]) => env.OBJECTS.invoke(resolved.route, method, callArgs) } : {});
        const readProperty = (): unknown => (stub !== undefined ? (stub as Record<string, unknown>)[method] : env.rpc ? env.OBJECTS.read(resolved.route, method) : undefined);
        await waitForHold();
        const startMs = shared.clockMs ?? 0;
        const objectId = id.toString();
        try {
          const result = read ? await readProperty() : await target[method]!(...args);
          traceRpc(workerName, { versionId, annotations, className, objectId, method, startMs });
          return result;
        } catch (error) {
          traceRpc(workerName, { versionId, annotations, className, objectId, method, startMs, error });
          rethrowReset(error);
        }
      };
    return new Proxy({} as DurableObjectStub, {
      get(_target, property) {
        if (property === "id") return id;
        if (property === "name") return name ?? id.name;
        if (property === "then" || typeof property === "symbol") return undefined;
        // As on the platform, a member of a stub is a method to call or a property to await, and
        // what either gives offers its own members before it resolves (promise pipelining).
        return rpcMember(call(property), () => call(property, true)());
      },
    });
  }

  const routing: DurableObjectNamespace = {
    idFromName: (name) => {
      const id = ids.idFromName(name);
      names.set(id.toString(), name);
      return id;
    },
    idFromString: (id) => ids.idFromString(id),
    newUniqueId: (options) => ids.newUniqueId(options),
    get: (id) => stubFor(id),
    getByName: (name) => stubFor(routing.idFromName(name), name),
    jurisdiction: () => routing,
  };
  return routing;
}
