/**
 * The version side of bulk traffic: a batch is the share of one window that the edge routed to one
 * version, and the version runs it through its own wrapped fetch handler, in its isolate (see
 * bulk.ts for the edge side and why).
 */
import { VERSION_KEY_HEADER } from "../../model/version-key.js";
import { VERSION_OVERRIDES_HEADER } from "../../model/version-overrides.js";
import { fillRequest, type TemplateBody } from "./request-template.js";
import { holdingCalls } from "./call-hold.js";

const BULK_ORIGIN = "http://dosim.bulk";

/** Outcome flags of one request. */
export const RESET = 1;
export const THROWN = 2;

/** The flags of a request that threw `error` (which may be any value, not only an Error). */
export function thrownFlags(error: unknown): number {
  return THROWN | ((error as { durableObjectReset?: unknown } | null | undefined)?.durableObjectReset === true ? RESET : 0);
}

/** One request of a batch: its index in the run, its path (filled), its object's name and its version key. */
export interface BatchRequest {
  readonly index: number;
  readonly path: string;
  /** The object's name, for the `{name}` of the headers and body. */
  readonly name?: string;
  readonly versionKey?: string;
}

/** The requests of one window that go to one version. */
export interface Batch {
  readonly method: string;
  readonly overridesHeader?: string;
  /** Headers of every request, `{name}` filled per request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body of every request, `{name}` filled per request. */
  readonly body?: TemplateBody;
  /** Hold every object call of these requests this long (see call-hold.ts). */
  readonly holdMs?: number;
  readonly requests: readonly BatchRequest[];
}

/** What a batch's requests answered, position by position (parallel arrays keep the RPC small). */
export interface BatchOutcome {
  /** HTTP status (0 when the handler threw). */
  readonly status: number[];
  /** RESET (1) when the answer was the reset error, THROWN (2) when the handler threw. */
  readonly flags: number[];
}

/**
 * Runs a batch through a version's fetch handler, all at once (a window holds each object once, so
 * nothing in a batch depends on the order of the others), and reports each answer in place.
 */
export function runBatch(handler: (request: Request) => Promise<Response>, batch: Batch): Promise<BatchOutcome> {
  return holdingCalls(batch.holdMs, () => runRequests(handler, batch));
}

async function runRequests(handler: (request: Request) => Promise<Response>, batch: Batch): Promise<BatchOutcome> {
  const count = batch.requests.length;
  const outcome: BatchOutcome = { status: new Array<number>(count).fill(0), flags: new Array<number>(count).fill(0) };
  await Promise.all(
    batch.requests.map(async (item, position) => {
      const { headers: written, body } = fillRequest({ method: batch.method, path: item.path, headers: batch.headers ?? {}, ...(batch.body !== undefined && { body: batch.body }) }, item.name);
      const headers = new Headers(written);
      if (item.versionKey !== undefined) headers.set(VERSION_KEY_HEADER, item.versionKey);
      if (batch.overridesHeader !== undefined) headers.set(VERSION_OVERRIDES_HEADER, batch.overridesHeader);
      try {
        const response = await handler(new Request(`${BULK_ORIGIN}${item.path}`, { method: batch.method, headers, ...(body !== undefined && { body }) }));
        outcome.status[position] = response.status;
        if (response.status === 503) {
          if ((await response.text()).includes("durableObjectReset")) outcome.flags[position] = RESET;
        } else {
          await response.arrayBuffer();
        }
      } catch (error) {
        outcome.flags[position] = thrownFlags(error);
      }
    }),
  );
  return outcome;
}
