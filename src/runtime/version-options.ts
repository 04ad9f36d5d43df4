/**
 * The workers that run versions: one per version loaded at start, and the spare slots, each with
 * the frame its config gives (compatibility, its classes' namespaces, the routing bindings,
 * dosim's internal bindings) and a version's own bindings (vars, secrets, identity).
 */
import type { WorkerOptions } from "miniflare";
import { hasCtxExports } from "../model/ctx-exports.js";
import { hasJsRpc } from "../model/js-rpc.js";
import { controlDesignator, idsBinding, routerTopologyOf } from "./namespace-options.js";
import { outsideObjectBindings } from "./outside-objects.js";
import { sqliteOf, storageKey, versionWorkerName, type HostedVersion, type RunLayout } from "./run-layout.js";
import type { WorkerSource } from "./config.js";
import { SLOT_ENTRY_MODULE, SLOT_RUNTIME_MODULE, slotEntrySource, slotWorkerName } from "./slot-options.js";
import { INTERNAL_WORKERS, OUTSIDE_SERVICE_ENTRYPOINT, SLOT_EVAL_BINDING, VERSION_BINDINGS, type OutsideServiceProps, type VersionIdentity } from "./workers/protocol.js";

/** What a version worker knows about itself (its identity binding). */
function identityOf(workerName: string, { version, source }: HostedVersion): VersionIdentity {
  return {
    workerName,
    id: version.id,
    ...(version.tag !== undefined && { tag: version.tag }),
    ...(version.message !== undefined && { message: version.message }),
    classes: [...new Set(source.durableObjects.map((binding) => binding.className))],
    rpc: hasJsRpc(source.compatibilityDate, source.compatibilityFlags),
    ...(hasCtxExports(source.compatibilityDate, source.compatibilityFlags) && { exports: routingBindingsByClass(source) }),
  };
}

/** Each class's first binding (every binding of a class is its routing namespace). */
function routingBindingsByClass(source: WorkerSource): Record<string, string> {
  const byClass: Record<string, string> = {};
  for (const { binding, className } of source.durableObjects) byClass[className] ??= binding;
  return byClass;
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

/**
 * A version's service bindings as wrangler derives them (config-read.ts names the Worker itself),
 * for the version worker `frameName`. A binding to the Worker itself reaches that version worker,
 * as under `wrangler dev` it reaches the one Worker running. A binding to another Worker reaches
 * dosim's outside service, which says that Worker is not running (outside-service.ts): workerd
 * refuses to start a worker whose binding names a service it does not have, and dosim runs one
 * Worker.
 */
export function userServiceBindings(source: WorkerSource, workerName: string, frameName: string): Record<string, unknown> {
  const declared = (source.passthroughOptions.serviceBindings ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(declared).map(([binding, designator]) => {
      const named = typeof designator === "string" ? { name: designator } : (designator as { name?: unknown } | null);
      const service = named?.name;
      if (typeof service !== "string") return [binding, designator];
      if (service === source.name) return [binding, { ...named, name: frameName }];
      const props: OutsideServiceProps = { service, binding, worker: workerName };
      return [binding, { name: INTERNAL_WORKERS.bridge, entrypoint: OUTSIDE_SERVICE_ENTRYPOINT, props }];
    }),
  );
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
  const durableObjects: Record<string, object> = { ...outsideObjectBindings(layout, source), [VERSION_BINDINGS.control]: controlDesignator() };
  const serviceBindings = { ...userServiceBindings(source, layout.workerName, name), [VERSION_BINDINGS.bridge]: INTERNAL_WORKERS.bridge };
  for (const className of classes) {
    durableObjects[`${VERSION_BINDINGS.classPrefix}${className}`] = {
      className,
      useSQLite: sqliteOf(layout, className),
      unsafeUniqueKey: storageKey(layout.workerName, source, className),
      unsafePreventEviction: true,
    };
  }
  const routingBinding = (className: string) => {
    const uniqueKey = storageKey(layout.workerName, source, className);
    const ids = idsBinding(routerTopologyOf(layout), className, uniqueKey);
    const own = slot ? undefined : { versionId: hosted.version.id, binding: `${VERSION_BINDINGS.classPrefix}${ownClass(uniqueKey)}` };
    return { scriptName: INTERNAL_WORKERS.routing, bindings: { className, uniqueKey, rpc, workerName: layout.workerName, ...(own !== undefined && { own }), ...(ids !== undefined && { ids }) } };
  };
  const wrappedBindings = Object.fromEntries(source.durableObjects.map(({ binding, className }) => [binding, routingBinding(className)]));
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

/** The spare slots' workers: the template's frame, dosim's slot modules, and the eval binding that loads code. */
export function slotWorkers(layout: RunLayout): WorkerOptions[] {
  const slots = layout.slots;
  if (slots === undefined) return [];
  const modules = [
    { type: "ESModule", path: SLOT_ENTRY_MODULE, contents: slotEntrySource(slots) },
    { type: "ESModule", path: SLOT_RUNTIME_MODULE, contents: slots.runtime },
  ];
  return Array.from({ length: slots.count }, (_, index) => ({ ...workerFrame(layout, slots.template, slotWorkerName(layout.workerName, index), true), modules, unsafeEvalBinding: SLOT_EVAL_BINDING }) as WorkerOptions);
}

/** A version's own worker: its frame, its modules, and its own bindings. */
export function versionWorker(layout: RunLayout, hosted: HostedVersion): WorkerOptions {
  return {
    ...workerFrame(layout, hosted, versionWorkerName(layout.workerName, hosted.version)),
    modules: hosted.bundle.modules.map((module) => ({ ...module })),
    bindings: versionBindings(layout.workerName, hosted) as WorkerOptions["bindings"],
  } as WorkerOptions;
}
