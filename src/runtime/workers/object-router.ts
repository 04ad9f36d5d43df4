/**
 * The object router's side of a call to a Durable Object: dosim's bridge worker holds the namespace
 * of every deployed version (and of each spare slot) once, and forwards the calls the versions'
 * routing bindings (do-router.worker.ts) route to one of them. A routing binding then needs one
 * service binding instead of every version's namespace: Miniflare copies the bindings of a routing
 * binding's worker into the binding of every version, so holding the namespaces there made the
 * config grow with the square of the deployed versions (see options.ts).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { namespaceBinding } from "./namespace-binding.js";
import { objectStubOn } from "./object-stub.js";
import { OBJECT_ROUTE_HEADER, type ObjectRoute, type Topology } from "./protocol.js";

type Env = Record<string, unknown> & { readonly topology: Topology };

type AnyFunction = (...args: unknown[]) => unknown;

/** A stub of the object on the namespace the route names. */
function objectStub(env: Env, route: ObjectRoute): DurableObjectStub {
  const names = route.slot === undefined ? env.topology.versions[route.versionId] : env.topology.slots?.[route.slot];
  const binding = names === undefined ? undefined : namespaceBinding(names, route.className, route.uniqueKey);
  const namespace = binding === undefined ? undefined : (env[binding] as DurableObjectNamespace | undefined);
  if (namespace === undefined) throw new Error(`dosim: version ${route.versionId} has no ${route.className} namespace loaded`);
  return objectStubOn(namespace, route.objectId, route.name);
}

/** The entrypoint the routing bindings call: `fetch` for an object's fetch (any compatibility date), `invoke` and `read` for RPC. */
export class DosimObjectRouter extends WorkerEntrypoint<Env> {
  /** Forwards a request whose {@link OBJECT_ROUTE_HEADER} names the object, without that header. */
  override fetch(request: Request): Promise<Response> {
    const route = JSON.parse(request.headers.get(OBJECT_ROUTE_HEADER) ?? "null") as ObjectRoute | null;
    if (route === null) return Promise.resolve(new Response("dosim: no object route", { status: 400 }));
    const headers = new Headers(request.headers);
    headers.delete(OBJECT_ROUTE_HEADER);
    return objectStub(this.env, route).fetch(new Request(request, { headers }));
  }

  /** Calls an RPC method of the object the route names, and gives back what it returns or throws. */
  invoke(route: ObjectRoute, method: string, args: unknown[]): unknown {
    const stub = objectStub(this.env, route) as unknown as Record<string, AnyFunction>;
    return stub[method]!(...args);
  }

  /** Reads an RPC property of the object the route names (`await stub.answer`). */
  async read(route: ObjectRoute, property: string): Promise<unknown> {
    return await (objectStub(this.env, route) as unknown as Record<string, unknown>)[property];
  }
}
