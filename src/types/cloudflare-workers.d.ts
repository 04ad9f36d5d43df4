/**
 * The few workerd APIs that dosim's in-workerd code and the bundled example Worker use, declared
 * here so the project needs no full Workers type package. Only what is used is declared.
 */
declare module "cloudflare:workers" {
  /** A Durable Object's id. */
  export interface DurableObjectId {
    toString(): string;
    equals(other: DurableObjectId): boolean;
    readonly name?: string;
  }

  /** The SQLite cursor returned by `sql.exec`. */
  export interface SqlCursor<T> extends Iterable<T> {
    toArray(): T[];
    one(): T;
  }

  /** A Durable Object's storage (the parts dosim uses). */
  export interface DurableObjectStorage {
    get<T = unknown>(key: string): Promise<T | undefined>;
    get<T = unknown>(keys: string[]): Promise<Map<string, T>>;
    put<T>(key: string, value: T): Promise<void>;
    put<T>(entries: Record<string, T>): Promise<void>;
    delete(key: string | string[]): Promise<boolean | number>;
    list<T = unknown>(options?: { prefix?: string; start?: string; limit?: number }): Promise<Map<string, T>>;
    readonly sql: { exec<T = Record<string, unknown>>(query: string, ...bindings: unknown[]): SqlCursor<T> };
    transactionSync<T>(closure: () => T): T;
  }

  /** What a Durable Object instance is given (`this.ctx`). */
  export interface DurableObjectState {
    readonly id: DurableObjectId;
    readonly storage: DurableObjectStorage;
    blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
    waitUntil(promise: Promise<unknown>): void;
    abort(reason?: string): void;
  }

  /** A stub for one Durable Object: `fetch` plus its RPC methods. */
  export type DurableObjectStub = {
    readonly id: DurableObjectId;
    readonly name?: string;
    fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  } & Record<string, any>;

  /** A Durable Object namespace binding. */
  export interface DurableObjectNamespace {
    idFromName(name: string): DurableObjectId;
    idFromString(id: string): DurableObjectId;
    newUniqueId(options?: { jurisdiction?: string }): DurableObjectId;
    get(id: DurableObjectId, options?: unknown): DurableObjectStub;
    getByName(name: string, options?: unknown): DurableObjectStub;
    jurisdiction(name: string): DurableObjectNamespace;
  }

  /** A service binding (another Worker or one of its entrypoints). */
  export type Fetcher = { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> } & Record<string, any>;

  /** What a Worker invocation is given besides the request and env. */
  export interface ExecutionContext {
    waitUntil(promise: Promise<unknown>): void;
    passThroughOnException(): void;
  }

  /** Base class of Durable Objects (enables RPC). */
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectState;
    protected readonly env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }

  /** Base class of named entrypoints (enables RPC). */
  export abstract class WorkerEntrypoint<Env = unknown> {
    protected readonly ctx: ExecutionContext;
    protected readonly env: Env;
    constructor(ctx: ExecutionContext, env: Env);
  }
}
