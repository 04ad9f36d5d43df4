/**
 * Loading versions uploaded after workerd started without restarting it. A restart ends every live
 * Durable Object instance and its in-memory state, which an upload never does on the platform; so
 * a host started with spare slots (slot-options.ts) loads such a version into a free slot instead,
 * when the version fits one: the same config as the slot's template (compatibility, bindings,
 * classes and their storage, version metadata) and code that is one ES module importing only what
 * the slot imports. Otherwise the host restarts, and says why.
 */
import { bundleSlotRuntime, VERSION_ENTRY_MODULE, VERSION_RUNTIME_MODULE, type VersionBundle, type VersionModule } from "./bundle.js";
import type { HostContext } from "./host-context.js";
import type { HostedVersion } from "./run-layout.js";
import { versionBindings } from "./version-options.js";
import { slotClasses, type SlotLayout } from "./slot-options.js";
import { describeVersion } from "./workerd-start.js";
import { cachedTransform } from "./esbuild-cache.js";
import type { SlotLoadAnswer } from "./workers/slot-table.js";

/** The spare slots of the running workerd, and how many are taken. */
export interface SlotPool {
  readonly layout: SlotLayout;
  used: number;
}

/** A version's code as a slot loads it, or why it cannot be. */
type SlotCode = { readonly code: string; readonly moduleName: string; readonly imports: readonly string[] } | { readonly misfit: string };

/** The modules a slot always imports: what a Worker's code imports most. */
const ALWAYS_IMPORTED = ["cloudflare:workers"];

/** Imports a slot can serve: the runtime's own modules (any other import needs the Worker's own modules). */
const SERVABLE = /^(cloudflare|node):/;

/** The user's modules of a bundle (dosim's entry and runtime come first). */
function userModules(bundle: VersionBundle): readonly VersionModule[] {
  return bundle.modules.filter((module) => module.path !== VERSION_ENTRY_MODULE && module.path !== VERSION_RUNTIME_MODULE);
}

const codes = new WeakMap<VersionBundle, Promise<SlotCode>>();

/**
 * A bundle's code as CommonJS (esbuild, once per bundle, cached by its code): a slot evaluates a
 * function body, not a module, and its `require` is served from the slot's static imports.
 */
function slotCode(bundle: VersionBundle): Promise<SlotCode> {
  let code = codes.get(bundle);
  if (code === undefined) {
    code = convert(bundle);
    codes.set(bundle, code);
  }
  return code;
}

async function convert(bundle: VersionBundle): Promise<SlotCode> {
  const modules = userModules(bundle);
  const module = modules[0];
  if (modules.length !== 1 || module === undefined || module.type !== "ESModule" || typeof module.contents !== "string") return { misfit: "its code is not one ES module" };
  try {
    const { code, warnings } = await cachedTransform(module.contents, { format: "cjs", loader: "js", sourcefile: module.path, logLevel: "silent" });
    // esbuild warns where CommonJS cannot keep the module's meaning (import.meta, for one).
    if (warnings.length > 0) return { misfit: `its module cannot be loaded late (${warnings[0]!})` };
    const imports = [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]!))];
    // A module's code is strict; a function body is not unless it says so.
    return { code: `"use strict";\n${code}`, moduleName: module.path, imports };
  } catch (error) {
    return { misfit: `its module cannot be loaded late (${error instanceof Error ? error.message.split("\n")[0] : String(error)})` };
  }
}

/** The spare slots a run gets: `count` slots copying the newest of `versions` (none when count is 0). */
export async function planSlots(count: number, versions: readonly HostedVersion[]): Promise<SlotLayout | undefined> {
  const routable = versions.filter((hosted) => hosted.routable !== false);
  const template = [...routable].sort((a, b) => b.version.number - a.version.number)[0];
  if (count <= 0 || template === undefined) return undefined;
  const [code, runtime] = await Promise.all([slotCode(template.bundle), bundleSlotRuntime()]);
  const own = "imports" in code ? code.imports.filter((specifier) => SERVABLE.test(specifier)) : [];
  return { count, template, imports: [...new Set([...ALWAYS_IMPORTED, ...own])], runtime };
}

/** Why `hosted`'s config differs from the slots' template, or undefined when it matches. */
function configMisfit(slots: SlotLayout, hosted: HostedVersion): string | undefined {
  const a = slots.template.source;
  const b = hosted.source;
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  if (a.compatibilityDate !== b.compatibilityDate) return `its compatibility_date (${b.compatibilityDate}) differs from ${a.compatibilityDate}`;
  if (!same([...a.compatibilityFlags].sort(), [...b.compatibilityFlags].sort())) return "its compatibility_flags differ";
  if (!same(a.durableObjects, b.durableObjects) || !same(a.classStorages ?? {}, b.classStorages ?? {})) return "its Durable Object bindings or classes differ";
  if (a.versionMetadataBinding !== b.versionMetadataBinding) return "its version_metadata binding differs";
  if (!same(a.passthroughOptions, b.passthroughOptions)) return "its other bindings differ";
  return undefined;
}

/** Why `hosted` cannot be loaded into a spare slot, or its code when it can. */
async function fit(slots: SlotLayout, hosted: HostedVersion): Promise<SlotCode> {
  const misfit = configMisfit(slots, hosted);
  if (misfit !== undefined) return { misfit };
  const code = await slotCode(hosted.bundle);
  if ("misfit" in code) return code;
  const missing = code.imports.filter((specifier) => !slots.imports.includes(specifier));
  return missing.length === 0 ? code : { misfit: `it imports ${missing.join(", ")}, which the spare slots do not` };
}

/**
 * Loads every version in `host.unloaded` into free spare slots, with no restart. Returns undefined
 * when all are loaded, else why a restart is needed (which loads every version in a worker of its own).
 */
export async function loadIntoSlots(host: HostContext): Promise<string | undefined> {
  const pool = host.slots;
  if (pool === undefined) return "no spare slots";
  const pending = host.hosted.filter((hosted) => host.unloaded.has(hosted.version.id));
  if (pending.length > pool.layout.count - pool.used) return `${pending.length} version(s) to load, ${pool.layout.count - pool.used} spare slot(s) left`;
  const codes = await Promise.all(pending.map((hosted) => fit(pool.layout, hosted)));
  for (const [index, code] of codes.entries()) {
    if ("misfit" in code) return `${describeVersion(pending[index]!.version)} does not fit a spare slot: ${code.misfit}`;
  }
  for (const [index, hosted] of pending.entries()) {
    const code = codes[index] as Exclude<SlotCode, { misfit: string }>;
    const slot = pool.used++;
    const load = { code: code.code, moduleName: code.moduleName, bindings: versionBindings(host.source.name, hosted), classes: slotClasses(pool.layout) };
    const answer = await host.control.call<SlotLoadAnswer>("loadSlot", { slot, versionId: hosted.version.id, load });
    // Its upload checked that the code starts in a worker of its own: a module that throws here
    // is loaded by the restart, which fails exactly as loading it always has if the code is bad.
    if (!answer.ok) return "misfit" in answer ? `${describeVersion(hosted.version)} does not fit a spare slot: ${answer.misfit}` : `${describeVersion(hosted.version)} failed to start in a spare slot: ${answer.cause}`;
    host.unloaded.delete(hosted.version.id);
  }
  return undefined;
}
