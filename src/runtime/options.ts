/**
 * Builds the Miniflare options of a run as plain objects: the edge (entry worker), the control
 * worker with the control plane, the routing binding's module, the object router that holds the
 * deployed versions' namespaces for it, and one worker per version. All
 * versions declare each Durable Object class with one unique key (Miniflare's default for the
 * Worker, so ids match what the user's own wrangler dev would mint), so they share its storage.
 */
import type { MiniflareOptions, WorkerOptions } from "miniflare";
import { buildTopology, controlDesignator, idsNamespaces, routerTopologyOf, slotNamespaces, versionNamespaces } from "./namespace-options.js";
import { routableVersions, versionWorkerName, type RunLayout } from "./run-layout.js";
import { RUN_SECRET } from "./run-secret.js";
import { slotWorkerName } from "./slot-options.js";
import { outsideObjectsWorker } from "./outside-objects.js";
import { slotWorkers, versionWorker } from "./version-options.js";
import { EDGE_CONTROL_ENTRYPOINT, INTERNAL_WORKERS, OBJECT_ROUTER_ENTRYPOINT, RUN_SECRET_BINDING, VERSION_CONTROL_ENTRYPOINT } from "./workers/protocol.js";

// Where the rest of the code and the tests know them from.
export { storageKey, type HostedVersion, type RunLayout } from "./run-layout.js";

const INTERNAL_COMPATIBILITY_DATE = "2026-04-01";

/**
 * What dosim's own workers leave out of Miniflare's frame. Miniflare gives every worker a service
 * that strips CF-Connecting-IP from its global fetch (`stripCfConnectingIp`, a worker of its own in
 * workerd) and a Cache API service backed by a Durable Object (`cache`). dosim's workers reach
 * everything through bindings and use neither, and each such worker costs workerd an isolate at
 * every start: with them off, Miniflare adds no strip service and a no-op cache service instead.
 */
const INTERNAL_FRAME = { stripCfConnectingIp: false, cache: false } as const;

/** The complete Miniflare options of a run. */
export function buildMiniflareOptions(layout: RunLayout): MiniflareOptions {
  const topology = buildTopology(layout);
  const namespaces = { ...versionNamespaces(layout, layout.versions, topology), ...slotNamespaces(layout, topology) };
  // The object router holds the namespaces the routing bindings reach: the routable versions'.
  const routable = routableVersions(layout);
  const routerTopology = routerTopologyOf(layout);
  const routerNamespaces = { ...versionNamespaces(layout, routable, routerTopology), ...slotNamespaces(layout, routerTopology) };
  const services: Record<string, string> = {};
  const controls: Record<string, object> = {};
  for (const { version } of layout.versions) {
    const names = topology.versions[version.id]!;
    services[names.service] = versionWorkerName(layout.workerName, version);
    controls[names.control] = { name: versionWorkerName(layout.workerName, version), entrypoint: VERSION_CONTROL_ENTRYPOINT };
  }
  topology.slots?.forEach((names, index) => {
    services[names.service] = slotWorkerName(layout.workerName, index);
    controls[names.control] = { name: slotWorkerName(layout.workerName, index), entrypoint: VERSION_CONTROL_ENTRYPOINT };
  });
  const edge: WorkerOptions = {
    ...INTERNAL_FRAME,
    name: INTERNAL_WORKERS.edge,
    modules: [{ type: "ESModule", path: "edge.mjs", contents: layout.internal.edge }],
    compatibilityDate: INTERNAL_COMPATIBILITY_DATE,
    bindings: { DOSIM_TOPOLOGY: topology as unknown as Record<string, never>, [RUN_SECRET_BINDING]: RUN_SECRET },
    // The versions' control entrypoints too: bulk traffic sends each version its requests in batches.
    serviceBindings: { ...services, ...controls } as WorkerOptions["serviceBindings"],
    durableObjects: { CONTROL: controlDesignator() },
  };
  const control: WorkerOptions = {
    ...INTERNAL_FRAME,
    name: INTERNAL_WORKERS.control,
    modules: [{ type: "ESModule", path: "control.mjs", contents: layout.internal.control }],
    compatibilityDate: INTERNAL_COMPATIBILITY_DATE,
    bindings: {
      DOSIM_TOPOLOGY: topology as unknown as Record<string, never>,
      DOSIM_BOOT: layout.boot as unknown as Record<string, never>,
      ...(layout.plannedRestart === true && { DOSIM_PLANNED_RESTART: true }),
      [RUN_SECRET_BINDING]: RUN_SECRET,
    },
    serviceBindings: {
      EDGE: INTERNAL_WORKERS.edge,
      EDGE_CONTROL: { name: INTERNAL_WORKERS.edge, entrypoint: EDGE_CONTROL_ENTRYPOINT },
      ...controls,
    } as WorkerOptions["serviceBindings"],
    durableObjects: { CONTROL: controlDesignator(), ...namespaces } as WorkerOptions["durableObjects"],
  };
  // Miniflare copies the bindings of the routing bindings' worker into the routing binding of
  // every version (and once more into its own entry worker), so they stay a few whatever the
  // number of versions: the namespaces live once in the object router, which the routing bindings
  // call. Holding them here made the config grow with versions × deployed versions.
  const routing: WorkerOptions = {
    ...INTERNAL_FRAME,
    name: INTERNAL_WORKERS.routing,
    modules: [{ type: "ESModule", path: "router.mjs", contents: layout.internal.router }],
    durableObjects: { CONTROL: controlDesignator(), ...idsNamespaces(layout, [...layout.versions, ...(layout.slots === undefined ? [] : [layout.slots.template])], routerNamespaces) } as WorkerOptions["durableObjects"],
    serviceBindings: { BRIDGE: INTERNAL_WORKERS.bridge, OBJECTS: { name: INTERNAL_WORKERS.router, entrypoint: OBJECT_ROUTER_ENTRYPOINT } } as WorkerOptions["serviceBindings"],
  };
  // The object router runs in the bridge's module (its control plane binding serves the bridge half).
  const router: WorkerOptions = {
    ...INTERNAL_FRAME,
    name: INTERNAL_WORKERS.router,
    modules: [{ type: "ESModule", path: "bridge.mjs", contents: layout.internal.bridge }],
    compatibilityDate: INTERNAL_COMPATIBILITY_DATE,
    bindings: { topology: routerTopology as unknown as Record<string, never> },
    durableObjects: { CONTROL: controlDesignator(), ...routerNamespaces } as WorkerOptions["durableObjects"],
  };
  // dosim's own date: version isolates without RPC reach the control plane through this worker.
  const bridge: WorkerOptions = {
    ...INTERNAL_FRAME,
    name: INTERNAL_WORKERS.bridge,
    modules: [{ type: "ESModule", path: "bridge.mjs", contents: layout.internal.bridge }],
    compatibilityDate: INTERNAL_COMPATIBILITY_DATE,
    durableObjects: { CONTROL: controlDesignator() },
  };
  const outside = outsideObjectsWorker(layout, { ...INTERNAL_FRAME, compatibilityDate: INTERNAL_COMPATIBILITY_DATE });
  return {
    cf: false,
    ...(layout.persistDir !== undefined ? { durableObjectsPersist: layout.persistDir } : {}),
    workers: [edge, control, routing, router, bridge, ...(outside === undefined ? [] : [outside]), ...layout.versions.map((hosted) => versionWorker(layout, hosted)), ...slotWorkers(layout)],
  } as MiniflareOptions;
}
