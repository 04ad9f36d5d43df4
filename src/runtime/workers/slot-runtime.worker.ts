/**
 * Runs inside a spare slot worker: a worker started empty beside the version workers, into which a
 * version uploaded later is loaded without restarting workerd (a restart would end every live
 * instance and its in-memory state, which an upload never does on the platform). The version's
 * module arrives as CommonJS text and is evaluated with workerd's unsafe-eval binding; its imports
 * are served from the modules the slot's entry imported statically. Its default export and its
 * Durable Object classes then get exactly the wrapping a version worker's generated entry applies
 * (version-runtime.worker.ts, object-class.ts), and its static bindings arrive as data.
 */
import { DurableObject } from "cloudflare:workers";
import { DosimVersionControl, wrapDefaultExport, wrapDurableObjectClass } from "./version-runtime.worker.js";
import { setLateBindings, type Env } from "./invocation-trace.js";
import { SLOT_EVAL_BINDING, type SlotLoad } from "./protocol.js";
import type { SlotLoadAnswer } from "./slot-table.js";

/** workerd's unsafe-eval binding, as the slot's env carries it. */
interface UnsafeEval {
  newFunction(code: string, name: string, ...parameters: string[]): (...args: unknown[]) => unknown;
}

/** The version this slot runs once loaded: its wrapped default export and classes. */
interface Loaded {
  readonly defaultExport: unknown;
  readonly classes: ReadonlyMap<string, new (ctx: DurableObjectState, env: Env) => object>;
}

let loaded: Loaded | undefined;
let staticModules: Readonly<Record<string, unknown>> = {};

/** Called by the slot's entry with the modules it imported statically (what loaded code may import). */
export function registerSlotModules(modules: Record<string, unknown>): void {
  staticModules = modules;
}

/** What `require` hands the loaded code: an ES module namespace, marked so esbuild's interop keeps its default export. */
function requireFor(specifier: string): unknown {
  const namespace = staticModules[specifier];
  if (namespace === undefined) throw new Error(`dosim: this slot cannot serve the import "${specifier}"`);
  return { ...(namespace as object), __esModule: true };
}

function current(): Loaded {
  if (loaded === undefined) throw new Error("dosim: no version is loaded into this slot yet");
  return loaded;
}

/** Evaluates the version's module and wraps its exports as a version worker's entry does. */
function load(env: Env, request: SlotLoad): void {
  if (loaded !== undefined) throw new Error("dosim: this slot already runs a version");
  setLateBindings(request.bindings);
  const module = { exports: {} as Record<string, unknown> };
  const evaluate = (env[SLOT_EVAL_BINDING] as UnsafeEval).newFunction(request.code, request.moduleName, "require", "module", "exports");
  evaluate(requireFor, module, module.exports);
  const exports = module.exports;
  const misfit = unservableExport(exports, request.classes);
  if (misfit !== undefined) throw new SlotMisfit(misfit);
  const classes = new Map(request.classes.map((className) => [className, wrapDurableObjectClass(exports[className], className) as new (ctx: DurableObjectState, env: Env) => object]));
  loaded = { defaultExport: wrapDefaultExport(exports.default), classes };
}

/** A version a slot cannot serve as a worker of its own would (the host restarts instead). */
class SlotMisfit extends Error {}

/** The handlers the slot's default export forwards; any other method is an RPC method. */
const FORWARDED = new Set(["constructor", "fetch", "scheduled", "queue"]);

/**
 * Why the slot cannot serve the module's exports, or undefined. The slot exports the template's
 * classes and a default export that forwards events; a service binding could not reach any other
 * entrypoint class, nor RPC methods on a default entrypoint class.
 */
function unservableExport(exports: Record<string, unknown>, classes: readonly string[]): string | undefined {
  const { WorkerEntrypoint, DurableObject: ObjectBase, WorkflowEntrypoint } = staticModules["cloudflare:workers"] as Record<string, unknown>;
  const bases = [WorkerEntrypoint, ObjectBase, WorkflowEntrypoint].filter((base): base is abstract new () => object => typeof base === "function");
  const isEntrypoint = (value: unknown): boolean => typeof value === "function" && bases.some((base) => value.prototype instanceof base);
  for (const [name, value] of Object.entries(exports)) {
    if (name !== "default" && !classes.includes(name) && isEntrypoint(value)) return `it exports the entrypoint class ${name}, which a spare slot cannot serve`;
  }
  const main = exports.default;
  if (isEntrypoint(main)) {
    const rpc = Object.getOwnPropertyNames((main as { prototype: object }).prototype).filter((method) => !FORWARDED.has(method));
    if (rpc.length > 0) return `its default entrypoint has RPC methods (${rpc.join(", ")}), which a spare slot cannot serve`;
  }
  return undefined;
}

/** A Durable Object class the slot exports: each instance is the loaded version's wrapped class's. */
export function slotClass(className: string): unknown {
  return class extends DurableObject {
    constructor(ctx: DurableObjectState, env: Env) {
      super(ctx, env as never);
      const Wrapped = current().classes.get(className);
      if (Wrapped === undefined) throw new Error(`dosim: the version in this slot has no class ${className}`);
      // A constructor may return another object: workerd then serves that instance.
      return new Wrapped(ctx, env) as this;
    }
  };
}

type Handlers = Record<string, ((...args: unknown[]) => unknown) | undefined>;

/** The handler `name` of the loaded version's (wrapped) default export, for this invocation. */
function handlerOf(name: string, env: Env, ctx: ExecutionContext): ((...args: unknown[]) => unknown) | undefined {
  const exported = current().defaultExport;
  if (typeof exported === "function") {
    const instance = new (exported as new (ctx: ExecutionContext, env: Env) => Handlers)(ctx, env);
    return instance[name]?.bind(instance);
  }
  const handlers = exported as Handlers;
  const handler = handlers[name];
  return handler === undefined ? undefined : (...args: unknown[]) => handler.call(handlers, ...args, env, ctx);
}

/** The slot's default export: forwards each event to the loaded version's default export. */
export const slotDefault = {
  fetch(request: Request, env: Env, ctx: ExecutionContext): unknown {
    const fetch = handlerOf("fetch", env, ctx);
    return fetch === undefined ? new Response("This Worker has no fetch handler", { status: 500 }) : fetch(request);
  },
  scheduled(controller: unknown, env: Env, ctx: ExecutionContext): unknown {
    return handlerOf("scheduled", env, ctx)?.(controller);
  },
  queue(batch: unknown, env: Env, ctx: ExecutionContext): unknown {
    return handlerOf("queue", env, ctx)?.(batch);
  },
};

/** The slot's control entrypoint: a version worker's, plus loading the version. */
export class DosimSlotControl extends DosimVersionControl {
  /** Loads a version into this slot; a module that throws while it loads is reported as workerd reports it. */
  loadVersion(request: SlotLoad): SlotLoadAnswer {
    try {
      load(this.env as Env, request);
      return { ok: true };
    } catch (error) {
      loaded = undefined;
      if (error instanceof SlotMisfit) return { ok: false, misfit: error.message };
      return { ok: false, cause: error instanceof Error ? `Uncaught ${error.name}: ${error.message}` : `Uncaught ${String(error)}` };
    }
  }
}
