/**
 * `dosim dev`: serves the Worker's current deployment over HTTP on a loopback address, with the
 * account API for the verbs under `/cdn-cgi/dosim/`. The account state (versions, deployments,
 * ledger, Durable Object storage, traces) lives in the state directory and survives restarts, also
 * after kill -9. The virtual clock follows wall time: it is moved to now before every account
 * change and once a second, so version timestamps are real and deferred updates fall due in real
 * time.
 */
import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InputError } from "../model/input-error.js";
import { readManifest } from "../runtime/manifest.js";
import { Simulator } from "../runtime/simulator.js";
import type { TraceEvent } from "../runtime/workers/protocol.js";
import { mountAccountApi } from "./api-mount.js";
import { LogLines } from "./dashboard/live-feed.js";
import { isDashboardPath, mountDashboard } from "./dashboard/routes.js";
import { Gate } from "./gate.js";
import type { RouteHandler } from "./http-io.js";
import { RequestLog } from "./request-log.js";
import { ServerRecordKeeper } from "./server-record.js";
import { createOwnerOnly, secureStateDir } from "./state-permissions.js";
import { stopWorkerd, workerdOn } from "./orphans.js";
import { API_PREFIX, newSeed, newToken, processAlive, readServerRecord, repairNdjson, resolveStateDir, traceFile, workerdChildren, type ServerRecord } from "./state-dir.js";
import { lockStateDir, type StateLock } from "./state-lock.js";
import { namesThisServer, requestUrl, servedHostnames } from "./request-guard.js";
import { prepareStateDir } from "./state-check.js";
import { proxyTraffic } from "./traffic-proxy.js";
import { proxyUpgrades } from "./socket-proxy.js";
import { WallClock } from "./wall-clock.js";

/** How to start the dev server. */
export interface DevOptions {
  readonly config: string;
  /** The config's environment (wrangler's `-e/--env`). */
  readonly env?: string;
  /** Default 127.0.0.1 (loopback only). */
  readonly ip?: string;
  /** Default 8787; 0 picks a free port. */
  readonly port?: number;
  readonly persistTo?: string;
  /** The seed of a new state directory (default: random, then kept in the directory). */
  readonly seed?: string;
  /** Where log lines go (default: stdout). */
  readonly write?: (line: string) => void;
  /**
   * Spare slots for versions uploaded while the server runs (default {@link DEFAULT_SPARE_SLOTS}):
   * a deployment loads such a version into one with no restart of workerd, so live objects keep
   * their in-memory state.
   */
  readonly spareSlots?: number;
}

/** Enough for an upload or two and a secret change between restarts; each slot is one more worker at every start. */
export const DEFAULT_SPARE_SLOTS = 4;

/** A running dev server. */
export interface DevServer {
  readonly url: string;
  readonly apiUrl: string;
  readonly stateDir: string;
  readonly record: ServerRecord;
  close(): Promise<void>;
}

/** A reason the server cannot start that the user can fix (another server, a busy port): exit code 2. */
export class DevStartError extends InputError {
  constructor(message: string) {
    super("dev-start", message);
    this.name = "DevStartError";
  }
}

/** Starts the server; resolves once it listens and its record is written. */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stateDir = resolveStateDir(options.persistTo);
  createOwnerOnly();
  // A usable directory (not a file, writable, storage files intact) before it is locked and used.
  prepareStateDir(stateDir);
  secureStateDir(stateDir);
  // Before anything else reads or writes the directory: one server per state directory.
  const lock = lockStateDir(stateDir);
  try {
    return await startLocked(options, write, stateDir, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Starts the server once this process holds the state directory's lock. */
async function startLocked(options: DevOptions, write: (line: string) => void, stateDir: string, lock: StateLock): Promise<DevServer> {
  const previous = readServerRecord(stateDir);
  if (previous !== undefined && previous.pid !== process.pid && processAlive(previous.pid)) {
    throw new DevStartError(`A dosim dev server (pid ${previous.pid}) already serves ${stateDir} at ${previous.url}; stop it first, or pass another --persist-to.`);
  }
  // The workerd processes of a killed server: those it recorded, and any other still working on the directory.
  const reaped = await stopWorkerd([...(previous?.childPids ?? []), ...workerdOn(stateDir, workerdChildren())]);
  if (reaped > 0) write(`[dosim] stopped ${reaped} workerd process(es) left by a server that was killed`);
  const traces = traceFile(stateDir);
  repairNdjson(traces);
  const firstStart = readManifest(stateDir) === undefined;
  let sink = (events: readonly TraceEvent[]): void => appendFileSync(traces, events.map((event) => `${JSON.stringify(event)}\n`).join(""));
  const sim = await Simulator.start({
    config: options.config,
    ...(options.env !== undefined && { env: options.env }),
    persistDir: stateDir,
    seed: options.seed ?? newSeed(),
    startMs: Date.now(),
    traceSink: (events) => sink(events),
    spareSlots: options.spareSlots ?? DEFAULT_SPARE_SLOTS,
  });
  try {
    return await serve(sim, { ...options, write, stateDir, firstStart, lock, setSink: (next) => (sink = next) });
  } catch (error) {
    await sim.close();
    throw error;
  }
}

interface ServeOptions extends DevOptions {
  readonly write: (line: string) => void;
  readonly stateDir: string;
  readonly firstStart: boolean;
  readonly lock: StateLock;
  readonly setSink: (sink: (events: readonly TraceEvent[]) => void) => void;
}

/** Serves a started simulator: user traffic, the account API, the clock ticker and the record. */
async function serve(sim: Simulator, options: ServeOptions): Promise<DevServer> {
  const { write, stateDir } = options;
  const gate = new Gate();
  const nowMs = (await sim.snapshot()).nowMs;
  const lines = new LogLines();
  const log = new RequestLog({ sim, write: (line) => (write(line), lines.push(line)), traceFile: traceFile(stateDir), shared: (task) => gate.shared(task), resetCursor: (await sim.journal(Number.MAX_SAFE_INTEGER)).resetsTotal });
  options.setSink(log.sink);
  const clock = new WallClock({ sim, log, write, nowMs });
  // Starting (a cold build, workerd's boot) takes seconds while the virtual clock stands still: move
  // it to now before the first request, or that request's object would look idle since the start
  // at the first tick and hibernate under it.
  await clock.sync();
  const token = newToken();
  const startedAt = new Date().toISOString();
  const records = new ServerRecordKeeper({ sim, stateDir, write });
  const api = mountAccountApi({ sim, gate, clock, log, records, token, startedAt, write });
  let served = new Set<string>();
  const dashboard = mountDashboard({ sim, token, shared: (task) => gate.shared(task), lines });
  const http = createServer(routeRequests({ api, dashboard, traffic: proxyTraffic({ sim, gate, log }), served: () => served, write }));
  guardConnections(http, write);
  const dropSockets = proxyUpgrades(http, { sim, gate, log, served: () => served, write });

  // Clients (curl loops, the verbs, fetch) reuse idle connections: keep them well past a pause, so a
  // reused socket is rarely one the server is just closing.
  http.keepAliveTimeout = 65_000;
  const address = await listen(http, options.ip ?? "127.0.0.1", options.port ?? 8787);
  served = servedHostnames(address.address);
  const url = `http://${hostForUrl(address.address)}:${address.port}`;
  const reachable = `http://${hostForUrl(isWildcard(address.address) ? "127.0.0.1" : address.address)}:${address.port}`;
  records.publish({
    pid: process.pid,
    url: reachable,
    apiUrl: `${reachable}${API_PREFIX}`,
    token,
    workerName: sim.workerName,
    configPath: options.config,
    startedAt,
    childPids: workerdChildren(),
  });
  const stopTicking = clock.startTicking(gate);

  if (options.firstStart) {
    const versions = await sim.versions();
    write(`[dosim] first start: deployed the current code as version ${versions[0]?.id} at 100%`);
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    apiUrl: records.record.apiUrl,
    stateDir,
    get record() {
      return records.record;
    },
    close: () => (closing ??= shutdown({ stopTicking: () => (stopTicking(), dropSockets()), http, gate, sim, records, log }).finally(() => options.lock.release())),
  };
}

/** The routes of the server, and the host names it answers dosim's own endpoints on. */
interface Routes {
  readonly api: RouteHandler;
  readonly dashboard: RouteHandler;
  readonly traffic: RouteHandler;
  readonly served: () => ReadonlySet<string>;
  readonly write: (line: string) => void;
}

/**
 * Sends account API calls to `api` and everything else to `traffic`. A request whose target does
 * not parse answers 400, a call to `/cdn-cgi/` under a foreign Host or Origin 403, and a failure
 * that escapes a handler 500: no request stops the server.
 */
function routeRequests(routes: Routes): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const plain = (status: number, text: string): void => {
      if (!res.headersSent) res.writeHead(status, { "content-type": "text/plain", connection: "close" });
      res.end(`${text}\n`);
    };
    const url = requestUrl(req);
    if (url === undefined) return plain(400, "Bad request: the request target or the Host header is malformed.");
    // Like Cloudflare, dosim keeps /cdn-cgi/ to itself; a rebound foreign name must not reach it.
    if (url.pathname.startsWith("/cdn-cgi/") && !namesThisServer(req, url, routes.served())) {
      return plain(403, "Forbidden: dosim's own endpoints answer only requests addressed to this server (Host and Origin).");
    }
    const handler = isDashboardPath(url.pathname) ? routes.dashboard : url.pathname.startsWith(`${API_PREFIX}/`) ? routes.api : routes.traffic;
    handler(req, res, url).catch((error: unknown) => {
      routes.write(`[dosim] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      plain(500, "dosim dev failed to serve this request; see its log.");
    });
  };
}

/** Malformed requests and broken sockets are answered (or dropped) by Node and logged, never thrown. */
function guardConnections(http: Server, write: (line: string) => void): void {
  http.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") write(`[dosim] refused a malformed request: ${error.code ?? error.message}`);
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
}

/** Stops the server: no more ticks or connections, then workerd once nothing runs, then the record. */
async function shutdown(parts: { stopTicking: () => void; http: Server; gate: Gate; sim: Simulator; records: ServerRecordKeeper; log: RequestLog }): Promise<void> {
  const { http, gate, sim } = parts;
  parts.stopTicking();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await parts.log.drained();
  await gate.exclusive(() => sim.close());
  parts.records.remove();
}

function listen(server: Server, ip: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === "EADDRINUSE") reject(new DevStartError(`Port ${port} on ${ip} is in use; pass another --port (0 picks a free one).`));
      else if (error.code === "EADDRNOTAVAIL") reject(new DevStartError(`Cannot listen on ${ip}: it is not an address of this machine; use 127.0.0.1 (the default).`));
      else if (error.code === "EACCES") reject(new DevStartError(`Port ${port} on ${ip} needs privileges; pass a --port above 1023 (0 picks a free one).`));
      else reject(error);
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
