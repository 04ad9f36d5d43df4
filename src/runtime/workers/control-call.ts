/**
 * How dosim's code inside a user's isolate (the version wrapper and the routing binding) calls the
 * control plane. Such code runs under the user's compatibility date and flags: before 2024-04-03
 * (no `rpc`) a Durable Object stub has no RPC methods. Then the call goes over HTTP to dosim's
 * bridge worker, which runs under dosim's own date and makes the RPC call itself.
 */
import { CONTROL_OBJECT_NAME } from "./protocol.js";

/** The control plane methods dosim's in-isolate code calls (the bridge accepts only these). */
export const BRIDGED_METHODS = ["clock", "instanceStarted", "objectVersion", "runAlarm", "cannotHibernate"] as const;

/** One of {@link BRIDGED_METHODS}. */
export type BridgedMethod = (typeof BRIDGED_METHODS)[number];

/** The bindings a caller has (the control plane's namespace, the bridge) and whether its isolate has RPC. */
export interface ControlRoute {
  readonly rpc: boolean;
  readonly control: DurableObjectNamespace;
  readonly bridge: { fetch(input: string, init?: RequestInit): Promise<Response> };
}

type AnyFunction = (...args: unknown[]) => Promise<unknown>;

/** Calls `method` on the control plane: over RPC when this isolate has it, else through the bridge. */
export async function callControl<T>(route: ControlRoute, method: BridgedMethod, ...args: unknown[]): Promise<T> {
  if (route.rpc) {
    const stub = route.control.get(route.control.idFromName(CONTROL_OBJECT_NAME)) as unknown as Record<string, AnyFunction>;
    return (await stub[method]!(...args)) as T;
  }
  const response = await route.bridge.fetch(`http://dosim-bridge/${method}`, { method: "POST", body: JSON.stringify(args) });
  const answer = (await response.json()) as { value?: T; error?: string };
  if (!response.ok || answer.error !== undefined) throw new Error(`dosim: control call ${method} failed: ${answer.error ?? response.status}`);
  return answer.value as T;
}
