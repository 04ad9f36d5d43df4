/**
 * The spare slots of a run: workers started empty beside the version workers, configured like a
 * version worker of one loaded version (the template: the newest), into which a version uploaded
 * later is loaded without restarting workerd (see late-slots.ts, slot-runtime.worker.ts). A slot
 * declares the template's Durable Object classes with the same unique keys, so the version it
 * runs shares every object's storage with the others, as version workers do.
 */
import type { HostedVersion } from "./run-layout.js";
import type { VersionTopology } from "./workers/protocol.js";

/** The spare slots a run starts with. */
export interface SlotLayout {
  readonly count: number;
  /** The version whose config every slot copies (a version fits a slot when its config matches). */
  readonly template: HostedVersion;
  /** The modules a slot's entry imports statically: all that code loaded into it may import. */
  readonly imports: readonly string[];
  /** dosim's slot runtime module (slot-runtime.worker.ts, bundled). */
  readonly runtime: string;
}

/** The module names of a slot worker. */
export const SLOT_ENTRY_MODULE = "dosim-slot-entry.mjs";
export const SLOT_RUNTIME_MODULE = "dosim-slot-runtime.mjs";

/** The worker name of spare slot `index`. */
export function slotWorkerName(workerName: string, index: number): string {
  return `${workerName}--slot${index}`;
}

/** The Durable Object classes of the template (those a slot exports). */
export function slotClasses(slots: SlotLayout): string[] {
  return [...new Set(slots.template.source.durableObjects.map((binding) => binding.className))];
}

/** Each slot's bindings in the control, router and edge workers; `keyOf` gives a class's unique key. */
export function slotTopology(slots: SlotLayout, keyOf: (className: string) => string): VersionTopology[] {
  return Array.from({ length: slots.count }, (_, index) => {
    const namespaces: Record<string, string> = {};
    const namespaceKeys: Record<string, string> = {};
    for (const className of slotClasses(slots)) {
      namespaces[className] = `NS_S${index}_${className}`;
      namespaceKeys[className] = keyOf(className);
    }
    return { service: `S_${index}`, control: `SC_${index}`, namespaces, namespaceKeys };
  });
}

/**
 * A slot's entry module: it imports the modules loaded code may import (handed to the runtime, which
 * serves them to the code's `require`), and exports the template's classes, a default export and
 * the control entrypoint, each forwarding to the version loaded later.
 */
export function slotEntrySource(slots: SlotLayout): string {
  const runtime = JSON.stringify(`./${SLOT_RUNTIME_MODULE}`);
  const lines = [`import { registerSlotModules, slotClass, slotDefault } from ${runtime};`];
  const registered = slots.imports.map((specifier, index) => {
    lines.push(`import * as m${index} from ${JSON.stringify(specifier)};`);
    return `${JSON.stringify(specifier)}: m${index}`;
  });
  lines.push(`registerSlotModules({ ${registered.join(", ")} });`);
  lines.push(`export { DosimSlotControl as DosimVersionControl } from ${runtime};`);
  lines.push(`export default slotDefault;`);
  for (const className of slotClasses(slots)) lines.push(`export const ${className} = slotClass(${JSON.stringify(className)});`);
  return lines.join("\n");
}
