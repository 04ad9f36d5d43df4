/**
 * The Durable Object namespaces of a run's options, and the topology that names them: every
 * version's and slot's namespaces for the control worker, the deployed ones for the object router,
 * and the few that mint the routing bindings' ids.
 */
import { namespaceBinding } from "./workers/namespace-binding.js";
import { INTERNAL_WORKERS, type Topology } from "./workers/protocol.js";
import { routableVersions, sqliteOf, storageKey, versionWorkerName, type HostedVersion, type RunLayout } from "./run-layout.js";
import { slotClasses, slotTopology, slotWorkerName } from "./slot-options.js";

const CONTROL_CLASS = "ControlPlane";

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

/** The control plane's namespace, as every worker that calls it binds it. */
export function controlDesignator() {
  return {
    className: CONTROL_CLASS,
    scriptName: INTERNAL_WORKERS.control,
    useSQLite: true,
    unsafeUniqueKey: `${INTERNAL_WORKERS.control}-${CONTROL_CLASS}`,
    unsafePreventEviction: true,
  };
}

/** The namespace of every class of each of `hosted`, as bindings for the control worker and the object router. */
export function versionNamespaces(layout: RunLayout, hosted: readonly HostedVersion[], topology: Topology): Record<string, object> {
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

/** Each spare slot's namespace of every class it exports, as bindings for the control worker and the object router. */
export function slotNamespaces(layout: RunLayout, topology: Topology): Record<string, object> {
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

const routerTopologies = new WeakMap<RunLayout, Topology>();

/** The topology the object router holds: that of the routable versions, and the slots'. */
export function routerTopologyOf(layout: RunLayout): Topology {
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
export function idsBinding(topology: Topology, className: string, uniqueKey: string): string | undefined {
  for (const version of Object.values(topology.versions)) {
    const binding = namespaceBinding(version, className, uniqueKey);
    if (binding !== undefined) return binding;
  }
  return undefined;
}

/** The namespaces that mint ids for the routing bindings of `hosted` (a few per class, whatever the number of versions). */
export function idsNamespaces(layout: RunLayout, hosted: readonly HostedVersion[], routerNamespaces: Record<string, object>): Record<string, object> {
  const bindings: Record<string, object> = {};
  for (const { source } of hosted) {
    for (const { className } of source.durableObjects) {
      const binding = idsBinding(routerTopologyOf(layout), className, storageKey(layout.workerName, source, className));
      if (binding !== undefined) bindings[binding] = routerNamespaces[binding]!;
    }
  }
  return bindings;
}
