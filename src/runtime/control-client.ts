/**
 * How the host talks to the control worker inside workerd: JSON over `fetch` to its `/api/<method>`
 * calls and its plain routes (traces, bulk). A restart of workerd replaces the worker, so the
 * client reconnects rather than being rebuilt, and everyone holding it keeps a live one.
 */
import type { Miniflare } from "miniflare";
import { RUN_SECRET } from "./run-secret.js";
import { INTERNAL_WORKERS, RUN_SECRET_HEADER } from "./workers/protocol.js";

/** The control worker, as the host calls it. */
type ControlFetcher = {
  fetch(url: string, init: { method: string; body?: string; headers: Record<string, string> }): Promise<{ text(): Promise<string>; status: number }>;
};

/** Every control call carries the run's secret: the control worker refuses calls without it. */
const SECRET_HEADERS = { [RUN_SECRET_HEADER]: RUN_SECRET };

/** Miniflare's header that sends a request to the worker it names. */
const ROUTE_OVERRIDE_HEADER = "MF-Route-Override";

/** Typed calls to the control worker of one Miniflare instance. */
export class ControlClient {
  #fetcher: ControlFetcher;

  private constructor(fetcher: ControlFetcher) {
    this.#fetcher = fetcher;
  }

  /** A client of the control worker `mf` runs now. */
  static async connect(mf: Miniflare): Promise<ControlClient> {
    return new ControlClient(await controlWorkerOf(mf));
  }

  /** Points at the control worker again, after `mf.setOptions` restarted workerd. */
  async reconnect(mf: Miniflare): Promise<void> {
    this.#fetcher = await controlWorkerOf(mf);
  }

  /** Calls the control plane's `method` with `args`; a failure inside it is thrown. */
  async call<T>(method: string, ...args: unknown[]): Promise<T> {
    const response = await this.#fetcher.fetch(`http://control/api/${method}`, { method: "POST", body: JSON.stringify(args), headers: SECRET_HEADERS });
    const body = (await readJson(response)) as { value?: T; error?: string };
    if (body.error !== undefined) throw new Error(`dosim control plane: ${body.error}`);
    return body.value as T;
  }

  /** POSTs to one of the control worker's plain routes (`traces`, `bulk`) and parses its JSON answer. */
  async post(route: string, body?: unknown): Promise<unknown> {
    const init = { method: "POST", headers: SECRET_HEADERS, ...(body !== undefined && { body: JSON.stringify(body) }) };
    return readJson(await this.#fetcher.fetch(`http://control/${route}`, init));
  }
}

/**
 * Requests to the control worker through Miniflare's entry, routed to it by name. Not
 * `mf.getWorker()`: its first use starts a worker thread for Miniflare's synchronous proxy and
 * blocks the process on it (about a second of every replay's start). User traffic can never carry
 * the route header (the traffic proxy strips every `MF-*` header), and the control worker refuses
 * any call without the run's secret.
 */
async function controlWorkerOf(mf: Miniflare): Promise<ControlFetcher> {
  await mf.ready;
  return {
    fetch: async (url, init) => {
      const headers = { ...init.headers, [ROUTE_OVERRIDE_HEADER]: INTERNAL_WORKERS.control };
      return (await mf.dispatchFetch(url, { ...init, headers } as never)) as unknown as { text(): Promise<string>; status: number };
    },
  };
}

async function readJson(response: { text(): Promise<string>; status: number }): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`dosim control plane answered ${response.status}: ${text.slice(0, 200)}`);
  }
}
