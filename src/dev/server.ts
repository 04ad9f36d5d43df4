/**
 * `dosim dev`: serves the Worker's current deployment over HTTP on a loopback address, with the
 * account API for the verbs under `/cdn-cgi/dosim/`. The account state (versions, deployments,
 * ledger, Durable Object storage, traces) lives in the state directory and survives restarts, also
 * after kill -9. The virtual clock follows wall time: it is moved to now before every account
 * change and once a second, so version timestamps are real and deferred updates fall due in real
 * time.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { readManifest } from "../runtime/manifest.js";
import { Simulator } from "../runtime/simulator.js";
import type { TraceEvent } from "../runtime/workers/protocol.js";
import { handleAccountApi, type AccountContext } from "./account-api.js";
import { failure } from "./api-shapes.js";
import { Gate } from "./gate.js";
import { formatResetLine, RequestLog } from "./request-log.js";
import {
  API_PREFIX,
  TOKEN_HEADER,
  newSeed,
  newToken,
  processAlive,
  readServerRecord,
  reapOrphans,
  removeServerRecord,
  repairNdjson,
  resolveStateDir,
  traceFile,
  workerdChildren,
  writeServerRecord,
  type ServerRecord,
} from "./state-dir.js";

/** How to start the dev server. */
export interface DevOptions {
  readonly config: string;
  /** Default 127.0.0.1 (loopback only). */
  readonly ip?: string;
  /** Default 8787; 0 picks a free port. */
  readonly port?: number;
  readonly persistTo?: string;
  /** The seed of a new state directory (default: random, then kept in the directory). */
  readonly seed?: string;
  /** Where log lines go (default: stdout). */
  readonly write?: (line: string) => void;
}

/** A running dev server. */
export interface DevServer {
  readonly url: string;
  readonly apiUrl: string;
  readonly stateDir: string;
  readonly record: ServerRecord;
  close(): Promise<void>;
}

/** A reason the server cannot start that the user can fix (another server, a busy port). */
export class DevStartError extends Error {}

const CLOCK_TICK_MS = 1_000;
const MAX_BODY_BYTES = 100 * 1024 * 1024;
/** Response headers Node's server sets itself, or that no longer describe the body we send. */
const HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "set-cookie"]);

/** Starts the server; resolves once it listens and its record is written. */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stateDir = resolveStateDir(options.persistTo);
  mkdirSync(stateDir, { recursive: true });
  const previous = readServerRecord(stateDir);
  if (previous !== undefined && previous.pid !== process.pid && processAlive(previous.pid)) {
    throw new DevStartError(`A dosim dev server (pid ${previous.pid}) already serves ${stateDir} at ${previous.url}; stop it first, or pass another --persist-to.`);
  }
  if (previous !== undefined) {
    const reaped = await reapOrphans(previous);
    if (reaped > 0) write(`[dosim] stopped ${reaped} workerd process(es) left by a server that was killed`);
  }
  const traces = traceFile(stateDir);
  repairNdjson(traces);
  const firstStart = readManifest(stateDir) === undefined;
  let sink = (events: readonly TraceEvent[]): void => appendFileSync(traces, events.map((event) => `${JSON.stringify(event)}\n`).join(""));
  const sim = await Simulator.start({
    config: options.config,
    persistDir: stateDir,
    seed: options.seed ?? newSeed(),
    startMs: Date.now(),
    traceSink: (events) => sink(events),
  });
  try {
    return await serve(sim, { ...options, write, stateDir, firstStart, setSink: (next) => (sink = next) });
  } catch (error) {
    await sim.close();
    throw error;
  }
}

interface ServeOptions extends DevOptions {
  readonly write: (line: string) => void;
  readonly stateDir: string;
  readonly firstStart: boolean;
  readonly setSink: (sink: (events: readonly TraceEvent[]) => void) => void;
}

async function serve(sim: Simulator, options: ServeOptions): Promise<DevServer> {
  const { write, stateDir } = options;
  const gate = new Gate();
  let nowMs = (await sim.snapshot()).nowMs;
  const log = new RequestLog({ sim, write, traceFile: traceFile(stateDir), shared: (task) => gate.shared(task), resetCursor: (await sim.journal(Number.MAX_SAFE_INTEGER)).resetsTotal });
  options.setSink(log.sink);

  /** Moves the virtual clock to wall time; deferred updates that fall due happen now. */
  const syncClock = async (): Promise<void> => {
    const deltaMs = Date.now() - nowMs;
    if (deltaMs <= 0) return;
    const moved = await sim.advance(deltaMs);
    nowMs = moved.nowMs;
    if (moved.resets.length === 0) return;
    const { resets, names } = await log.takeResets();
    for (const reset of resets) write(formatResetLine(reset, names[reset.objectId]));
  };

  const token = newToken();
  const startedAt = new Date().toISOString();
  let record: ServerRecord;
  let eventsSeen = sim.events.length;
  const refreshRecord = (): void => {
    record = { ...record, childPids: workerdChildren() };
    writeServerRecord(stateDir, record);
    for (const event of sim.events.slice(eventsSeen)) write(`[dosim] workerd restarted (${event.reason}); ${event.instancesLost} live instance(s) ended — a simulator restart, not a platform reset`);
    eventsSeen = sim.events.length;
  };

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const handler = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`) ? api : traffic;
    handler(req, res, url).catch((error: unknown) => {
      write(`[dosim] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end();
    });
  });

  const context: AccountContext = {
    sim,
    workerName: sim.workerName,
    url: "",
    startedAt,
    change: (restarts, task) =>
      gate.change(restarts, async () => {
        await syncClock();
        try {
          return await task();
        } finally {
          if (restarts) refreshRecord();
        }
      }),
    read: (task) => gate.shared(task),
    changed: async (summary) => {
      const { resets } = await log.takeResets();
      write(`[api] ${summary}${resets.length > 0 ? `; ${resets.length} object reset(s)` : ""}`);
    },
  };

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(`${JSON.stringify(body)}\n`);
    };
    if (req.headers[TOKEN_HEADER] !== token) {
      reply(401, failure({ code: "unauthorized", message: `The account API needs the token in ${stateDir}/server.json; use the dosim verbs.` }));
      return;
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length === 0 ? undefined : (JSON.parse(raw.toString("utf8")) as unknown);
    } catch {
      reply(400, failure({ code: "invalid-input", message: "The request body is not JSON." }));
      return;
    }
    try {
      const answer = await handleAccountApi({ method: req.method ?? "GET", path: url.pathname.slice(API_PREFIX.length), query: url.searchParams, body }, { ...context, url: record.url });
      reply(answer.status, answer.body);
    } catch (error) {
      write(`[api] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      reply(500, failure({ code: "internal", message: error instanceof Error ? error.message : String(error) }));
    }
  }

  async function traffic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    const method = req.method ?? "GET";
    log.begin();
    let status = 502;
    try {
      const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
      const headers = new Headers();
      for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
      const { response, bytes } = await gate.shared(async () => {
        const answer = await sim.fetch(url.href, { method, headers, redirect: "manual", ...(body !== undefined && body.length > 0 && { body }) });
        return { response: answer, bytes: Buffer.from(await answer.arrayBuffer()) };
      });
      status = response.status;
      response.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name)) res.setHeader(name, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader("set-cookie", cookies);
      res.writeHead(status);
      res.end(method === "HEAD" ? undefined : bytes);
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`dosim dev could not serve this request: ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      void log.finish({ method, url: url.href, status, elapsedMs: performance.now() - started });
    }
  }

  // Clients (curl loops, the verbs, fetch) reuse idle connections: keep them well past a pause, so a
  // reused socket is rarely one the server is just closing.
  http.keepAliveTimeout = 65_000;
  const address = await listen(http, options.ip ?? "127.0.0.1", options.port ?? 8787);
  const url = `http://${hostForUrl(address.address)}:${address.port}`;
  const reachable = `http://${hostForUrl(isWildcard(address.address) ? "127.0.0.1" : address.address)}:${address.port}`;
  record = {
    pid: process.pid,
    url: reachable,
    apiUrl: `${reachable}${API_PREFIX}`,
    token,
    workerName: sim.workerName,
    configPath: options.config,
    startedAt,
    childPids: workerdChildren(),
  };
  writeServerRecord(stateDir, record);
  // Miniflare ends the process on SIGINT and SIGTERM (stopping workerd first); the record goes with it.
  const forget = (): void => removeServerRecord(stateDir);
  process.once("exit", forget);
  const ticker = setInterval(() => {
    gate.change(false, syncClock).catch((error: unknown) => write(`[dosim] clock: ${error instanceof Error ? error.message : String(error)}`));
  }, CLOCK_TICK_MS);

  if (options.firstStart) {
    const versions = await sim.versions();
    write(`[dosim] first start: deployed the current code as version ${versions[0]?.id} at 100%`);
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    apiUrl: record.apiUrl,
    stateDir,
    get record() {
      return record;
    },
    close: () =>
      (closing ??= (async () => {
        clearInterval(ticker);
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await gate.exclusive(() => sim.close());
        removeServerRecord(stateDir);
        process.off("exit", forget);
      })()),
  };
}

function listen(server: Server, ip: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === "EADDRINUSE" ? new DevStartError(`Port ${port} on ${ip} is in use; pass another --port (0 picks a free one).`) : error);
    };
    server.once("error", onError);
    server.listen(port, ip, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::";
}

function hostForUrl(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
