/**
 * Builds the Miniflare options of a run as plain objects: the edge (entry worker), the control
 * worker with the control plane, the routing binding's module, the object router that holds the
 * deployed versions' namespaces for it, and one worker per version. All
 * versions declare each Durable Object class with one unique key (Miniflare's default for the
 * Worker, so ids match what the user's own wrangler dev would mint), so they share its storage.
 */
import type { MiniflareOptions, WorkerOptions } from "miniflare";
import { hasJsRpc } from "../model/js-rpc.js";
import { defaultUniqueKey } from "../model/object-ids.js";
import type { Version } from "../model/types.js";
import type { InternalBundles, VersionBundle } from "./bundle.js";
import type { WorkerSource } from "./config.js";
import { RUN_SECRET } from "./run-secret.js";
import { SLOT_ENTRY_MODULE, SLOT_RUNTIME_MODULE, slotClasses, slotEntrySource, slotTopology, slotWorkerName, type SlotLayout } from "./slot-options.js";
import type { BootState } from "./workers/control-api.js";
import { namespaceBinding } from "./workers/namespace-binding.js";
import {
  EDGE_CONTROL_ENTRYPOINT,
  INTERNAL_WORKERS,
  OBJECT_ROUTER_ENTRYPOINT,
  RUN_SECRET_BINDING,
  SLOT_EVAL_BINDING,
  VERSION_BINDINGS,
  VERSION_CONTROL_ENTRYPOINT,
  type Topology,
  type VersionIdentity,
} from "./workers/protocol.js";

/** A version and the code it runs. */
export interface HostedVersion {
  readonly version: Version;
  readonly source: WorkerSource;
  /** The version's modules (user code as wrangler built it, behind dosim's generated entry). */
  readonly bundle: VersionBundle;
  /**
   * False for a version no deployment will name (a scenario's dry run knows): no object runs on it,
   * so workerd runs it only to check that its code starts (see workerdVersions), and the object
   * router does not hold its namespaces. Default: routable.
   */
  readonly routable?: boolean;
}

/** Everything a run's Miniflare options are built from. */
export interface RunLayout {
  readonly workerName: string;
  readonly versions: readonly HostedVersion[];
  readonly internal: InternalBundles;
  readonly boot: BootState;
  /** Persist Durable Object storage (and the control plane) here; in memory when absent. */
  readonly persistDir?: string;
  /** A restart of a running host to load versions: the control plane keeps its live instances. */
  readonly plannedRestart?: boolean;
  /** Spare slots for versions uploaded later (none when absent). */
  readonly slots?: SlotLayout;
}

const INTERNAL_COMPATIBILITY_DATE = "2026-04-01";
const CONTROL_CLASS = "ControlPlane";

/** The worker name of a version (by number, so it is stable across restarts). */
export function versionWorkerName(workerName: string, version: Version): string {
  return `${workerName}--v${version.number}`;
}

/**
 * The unique key of a class's namespace: Miniflare's default for the class that created its
 * storage, so a renamed class reaches the same objects (same ids, same stored data).
 */
export function storageKey(workerName: string, source: Pick<WorkerSource, "classStorages">, className: string): string {
  return defaultUniqueKey(workerName, source.classStorages?.[className] ?? className);
}

/** Which classes use SQLite: the first version's migrations decide, so every version agrees. */
function sqliteOf(layout: RunLayout, className: string): boolean {
  for (const hosted of layout.versions) {
    const value = hosted.source.sqliteClasses.get(className);
    if (value !== undefined) return value;
  }
  return false;
}

/** The names of every binding that points at each version (of `hosted`, default all of them). */
export function buildTopology(layout: RunLayout, hosted: readonly HostedVersion[] = layout.versions): Topology {
  const uniqueKeys: Record<string, string> = {};
  const versions: Record<string, Topology["versions"][string]> = {};
  for (const { version, source } of hosted) {
    const namespaces: Record<string, string> = {};
    const namespaceKeys: Record<string, string> = {};
    for (const { className } of source.durableObjects) {
      namespaces[className] = `NS_${version.number}_${className}`;
      namespaceKeys[className] = storageKey(layout.workerName, source, className);
      uniqueKeys[className] = namespaceKeys[className];
    }
    versions[version.id] = {
      service: `V_${version.number}`,
      control: `VC_${version.number}`,
      namespaces,
      namespaceKeys,
      ...(version.tag !== undefined && { tag: version.tag }),
      ...(version.message !== undefined && { message: version.message }),
    };
  }
  const slots = layout.slots === undefined ? undefined : slotTopology(layout.slots, (className) => storageKey(layout.workerName, layout.slots!.template.source, className));
  return { workerName: layout.workerName, versions, uniqueKeys, ...(slots !== undefined && { slots }) };
}

function controlDesignator() {
  return {
    className: CONTROL_CLASS,
    scriptName: INTERNAL_WORKERS.control,
    useSQLite: true,
    unsafeUniqueKey: `${INTERNAL_WORKERS.control}-${CONTROL_CLASS}`,
    unsafePreventEviction: true,
  };
}

/** The versions the object router reaches: the routable ones (the first version when none is). */
function routableVersions(layout: RunLayout): readonly HostedVersion[] {
  const routable = layout.versions.filter((hosted) => hosted.routable !== false);
  return routable.length > 0 ? routable : layout.versions.slice(0, 1);
}

/** The namespace of every class of each of `hosted`, as bindings for the control worker and the object router. */
function versionNamespaces(layout: RunLayout, hosted: readonly HostedVersion[], topology: Topology): Record<string, object> {
  const bindings: Record<string, object> = {};
  for (const { version, source } of hosted) {
    for (const { className } of source.durableObjects) {
      bindings[topology.versions[version.id]!.namespaces[className]!] = {
        className,
        scriptName: versionWorkerName(layout.workerName, version),
        useSQLite: sqliteOf(layout, className),
        unsafeUniqueKey: storageKey(layout.workerName, source, className),
        unsafePreventEviction: true,
      };
    }
  }
  return bindings;
}

/** What a version worker knows about itself (its identity binding). */
function identityOf(workerName: string, { version, source }: HostedVersion): VersionIdentity {
  return {
    workerName,
    id: version.id,
    ...(version.tag !== undefined && { tag: version.tag }),
    ...(version.message !== undefined && { message: version.message }),
    classes: [...new Set(source.durableObjects.map((binding) => binding.className))],
    rpc: hasJsRpc(source.compatibilityDate, source.compatibilityFlags),
  };
}

/**
 * A version's own bindings, which differ between versions of one config: its vars, secrets,
 * identity and version metadata. A version worker has them statically; a version loaded into a
 * spare slot gets them as data.
 */
export function versionBindings(workerName: string, hosted: HostedVersion): Record<string, unknown> {
  const { version, source } = hosted;
  const bindings: Record<string, unknown> = { ...version.vars, ...version.secrets, [VERSION_BINDINGS.identity]: identityOf(workerName, hosted) };
  if (source.versionMetadataBinding !== undefined) {
    bindings[source.versionMetadataBinding] = { id: version.id, tag: version.tag ?? "", timestamp: new Date(version.createdAtMs).toISOString() };
  }
  return bindings;
}

const routerTopologies = new WeakMap<RunLayout, Topology>();

/** The topology the object router holds: that of the routable versions, and the slots'. */
function routerTopologyOf(layout: RunLayout): Topology {
  let topology = routerTopologies.get(layout);
  if (topology === undefined) {
    topology = buildTopology(layout, routableVersions(layout));
    routerTopologies.set(layout, topology);
  }
  return topology;
}

/**
 * The namespace that mints a routing binding's ids: the first routable version's that reaches the
 * caller's storage (ids depend only on the unique key, so every such namespace mints the same).
 */
function idsBinding(topology: Topology, className: string, uniqueKey: string): string | undefined {
  for (const version of Object.values(topology.versions)) {
    const binding = namespaceBinding(version, className, uniqueKey);
    if (binding !== undefined) return binding;
  }
  return undefined;
}

/** The namespaces that mint ids for the routing bindings of `hosted` (a few per class, whatever the number of versions). */
function idsNamespaces(layout: RunLayout, hosted: readonly HostedVersion[], routerNamespaces: Record<string, object>): Record<string, object> {
  const bindings: Record<string, object> = {};
  for (const { source } of hosted) {
    for (const { className } of source.durableObjects) {
      const binding = idsBinding(routerTopologyOf(layout), className, storageKey(layout.workerName, source, className));
      if (binding !== undefined) bindings[binding] = routerNamespaces[binding]!;
    }
  }
  return bindings;
}

/**
 * Everything of a version worker that follows from its config alone (so a spare slot configured
 * from one version shares it): the config's own options, compatibility, the classes' namespaces
 * with their storage keys, the routing bindings and dosim's internal bindings.
 */
export function workerFrame(layout: RunLayout, hosted: HostedVersion, name: string, slot = false): WorkerOptions {
  const { source } = hosted;
  const { classes, rpc } = identityOf(layout.workerName, hosted);
  // The class whose namespace of this worker an object of its own version is reached through (the
  // first with the binding's storage, as the object router picks): not in a slot, whose version
  // is known only once loaded.
  const ownClass = (uniqueKey: string) => classes.find((candidate) => storageKey(layout.workerName, source, candidate) === uniqueKey)!;
  const durableObjects: Record<string, object> = { [VERSION_BINDINGS.control]: controlDesignator() };
  const serviceBindings = { ...(source.passthroughOptions.serviceBindings as object | undefined), [VERSION_BINDINGS.bridge]: INTERNAL_WORKERS.bridge };
  for (const className of classes) {
    durableObjects[`${VERSION_BINDINGS.classPrefix}${className}`] = {
      className,
      useSQLite: sqliteOf(layout, className),
      unsafeUniqueKey: storageKey(layout.workerName, source, className),
      unsafePreventEviction: true,
    };
  }
  const wrappedBindings = Object.fromEntries(
    source.durableObjects.map(({ binding, className }) => {
      const uniqueKey = storageKey(layout.workerName, source, className);
      const ids = idsBinding(routerTopologyOf(layout), className, uniqueKey);
      const own = slot ? undefined : { versionId: hosted.version.id, binding: `${VERSION_BINDINGS.classPrefix}${ownClass(uniqueKey)}` };
      return [binding, { scriptName: INTERNAL_WORKERS.routing, bindings: { className, uniqueKey, rpc, workerName: layout.workerName, ...(own !== undefined && { own }), ...(ids !== undefined && { ids }) } }];
    }),
  );
  return {
    ...(source.passthroughOptions as WorkerOptions),
    name,
    compatibilityDate: source.compatibilityDate,
    compatibilityFlags: [...source.compatibilityFlags],
    durableObjects: durableObjects as WorkerOptions["durableObjects"],
    serviceBindings: serviceBindings as WorkerOptions["serviceBindings"],
    wrappedBindings,
  } as WorkerOptions;
}

/** Each spare slot's namespace of every class it exports, as bindings for the control worker and the object router. */
function slotNamespaces(layout: RunLayout, topology: Topology): Record<string, object> {
  const bindings: Record<string, object> = {};
  const slots = layout.slots;
  if (slots === undefined) return bindings;
  topology.slots?.forEach((names, index) => {
    for (const className of slotClasses(slots)) {
      bindings[names.namespaces[className]!] = {
        className,
        scriptName: slotWorkerName(layout.workerName, index),
        useSQLite: sqliteOf(layout, className),
        unsafeUniqueKey: storageKey(layout.workerName, slots.template.source, className),
        unsafePreventEviction: true,
      };
    }
  });
  return bindings;
}

/** The spare slots' workers: the template's frame, dosim's slot modules, and the eval binding that loads code. */
function slotWorkers(layout: RunLayout): WorkerOptions[] {
  const slots = layout.slots;
  if (slots === undefined) return [];
  const modules = [
    { type: "ESModule", path: SLOT_ENTRY_MODULE, contents: slotEntrySource(slots) },
    { type: "ESModule", path: SLOT_RUNTIME_MODULE, contents: slots.runtime },
  ];
  return Array.from({ length: slots.count }, (_, index) => ({ ...workerFrame(layout, slots.template, slotWorkerName(layout.workerName, index), true), modules, unsafeEvalBinding: SLOT_EVAL_BINDING }) as WorkerOptions);
}

function versionWorker(layout: RunLayout, hosted: HostedVersion): WorkerOptions {
  return {
    ...workerFrame(layout, hosted, versionWorkerName(layout.workerName, hosted.version)),
    modules: hosted.bundle.modules.map((module) => ({ ...module })),
    bindings: versionBindings(layout.workerName, hosted) as WorkerOptions["bindings"],
  } as WorkerOptions;
}

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
    name: INTERNAL_WORKERS.edge,
    modules: [{ type: "ESModule", path: "edge.mjs", contents: layout.internal.edge }],
    compatibilityDate: INTERNAL_COMPATIBILITY_DATE,
    bindings: { DOSIM_TOPOLOGY: topology as unknown as Record<string, never>, [RUN_SECRET_BINDING]: RUN_SECRET },
    // The versions' control entrypoints too: bulk traffic sends each version its requests in batches.
    serviceBindings: { ...services, ...controls } as WorkerOptions["serviceBindings"],
    durableObjects: { CONTROL: controlDesignator() },
  };
  const control: WorkerOptions = {
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
    name: INTERNAL_WORKERS.routing,
    modules: [{ type: "ESModule", path: "router.mjs", contents: layout.internal.router }],
    durableObjects: { CONTROL: controlDesignator(), ...idsNamespaces(layout, [...layout.versions, ...(layout.slots === undefined ? [] : [layout.slots.template])], routerNamespaces) } as WorkerOptions["durableObjects"],
    serviceBindings: { BRIDGE: INTERNAL_WORKERS.bridge, OBJECTS: { name: INTERNAL_WORKERS.router, entrypoint: OBJECT_ROUTER_ENTRYPOINT } } as WorkerOptions["serviceBindings"],
  };
  // The object router runs in the bridge's module (its control plane binding serves the bridge half).
  const router: WorkerOptions = {
    name: INTERNAL_WORKERS.router,
    modules: [{ type: "ESModule", path: "bridge.mjs", contents: layout.internal.bridge }],
    compatibilityDate: INTERNAL_COMPATIBILITY_DATE,
    bindings: { topology: routerTopology as unknown as Record<string, never> },
    durableObjects: { CONTROL: controlDesignator(), ...routerNamespaces } as WorkerOptions["durableObjects"],
  };
  // dosim's own date: version isolates without RPC reach the control plane through this worker.
  const bridge: WorkerOptions = {
    name: INTERNAL_WORKERS.bridge,
    modules: [{ type: "ESModule", path: "bridge.mjs", contents: layout.internal.bridge }],
    compatibilityDate: INTERNAL_COMPATIBILITY_DATE,
    durableObjects: { CONTROL: controlDesignator() },
  };
  return {
    cf: false,
    ...(layout.persistDir !== undefined ? { durableObjectsPersist: layout.persistDir } : {}),
    workers: [edge, control, routing, router, bridge, ...layout.versions.map((hosted) => versionWorker(layout, hosted)), ...slotWorkers(layout)],
  } as MiniflareOptions;
}
