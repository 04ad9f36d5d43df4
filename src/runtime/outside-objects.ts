/**
 * The Durable Object classes of other Workers that a run's versions bind to (`script_name`). dosim
 * runs one Worker, and workerd refuses a binding to a class no worker of its config has, so a
 * worker of dosim's own stands in for them: one class each, whose objects fail every request and
 * call, saying which Worker is missing (outside-service.ts). Its namespaces take Miniflare's unique
 * key for another Worker's class, so ids are the ones that Worker's own `wrangler dev` would mint.
 */
import type { WorkerOptions } from "miniflare";
import type { WorkerSource } from "./config.js";
import type { RunLayout } from "./run-layout.js";
import { INTERNAL_WORKERS } from "./workers/protocol.js";

/** A class of another Worker, and the export of dosim's outside worker that stands in for it. */
interface OutsideClass {
  readonly scriptName: string;
  readonly className: string;
  readonly standIn: string;
}

/** A config's bindings to other Workers' classes: binding → its Worker and class. */
function outsideBindings(source: WorkerSource): [string, { scriptName: string; className: string }][] {
  const declared = (source.passthroughOptions.durableObjects ?? {}) as Record<string, { scriptName: string; className: string }>;
  return Object.entries(declared);
}

/** One class of one Worker, as a key. */
function outsideKey({ scriptName, className }: { scriptName: string; className: string }): string {
  return `${scriptName}\u0000${className}`;
}

const known = new WeakMap<RunLayout, readonly OutsideClass[]>();

/** Every class of another Worker that some version (or the spare slots' template) binds to, in a stable order. */
export function outsideClasses(layout: RunLayout): readonly OutsideClass[] {
  const cached = known.get(layout);
  if (cached !== undefined) return cached;
  const sources = [...layout.versions, ...(layout.slots === undefined ? [] : [layout.slots.template])].map((hosted) => hosted.source);
  const distinct = new Map<string, { scriptName: string; className: string }>();
  for (const [, target] of sources.flatMap(outsideBindings)) distinct.set(outsideKey(target), target);
  const classes = [...distinct.keys()].sort().map((key, index) => ({ ...distinct.get(key)!, standIn: `DosimOutside${index}` }));
  known.set(layout, classes);
  return classes;
}

/** The Durable Object bindings of a version of `source` to other Workers' classes, as Miniflare designators. */
export function outsideObjectBindings(layout: RunLayout, source: WorkerSource): Record<string, object> {
  const standIns = new Map(outsideClasses(layout).map((outside) => [outsideKey(outside), outside.standIn]));
  return Object.fromEntries(
    outsideBindings(source).map(([binding, target]) => [binding, { className: standIns.get(outsideKey(target))!, scriptName: INTERNAL_WORKERS.outside, unsafeUniqueKey: `${target.scriptName}-${target.className}` }]),
  );
}

/** What a request or call to an object of `outside` is told. */
export function outsideObjectMessage(outside: OutsideClass, workerName: string): string {
  return `Worker "${outside.scriptName}" not found: dosim runs only "${workerName}", so its Durable Object class ${outside.className} is not running.`;
}

/** dosim's outside worker, when some version binds to another Worker's class. */
export function outsideObjectsWorker(layout: RunLayout, frame: Partial<WorkerOptions>): WorkerOptions | undefined {
  const classes = outsideClasses(layout);
  if (classes.length === 0) return undefined;
  const main = [
    `import { outsideObjectClass } from "./bridge.mjs";`,
    ...classes.map((outside) => `export const ${outside.standIn} = outsideObjectClass(${JSON.stringify(outsideObjectMessage(outside, layout.workerName))});`),
    `export default {};`,
  ].join("\n");
  return {
    ...frame,
    name: INTERNAL_WORKERS.outside,
    modules: [
      { type: "ESModule", path: "outside.mjs", contents: main },
      { type: "ESModule", path: "bridge.mjs", contents: layout.internal.bridge },
    ],
  } as WorkerOptions;
}
