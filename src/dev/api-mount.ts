/**
 * The account API under `/cdn-cgi/dosim/` in the dev server: checks the token, parses the JSON
 * body, and hands the call to {@link handleAccountApi} with a context that runs changes in turn
 * through the gate, the clock synced first and the server record refreshed after a restart.
 */
import type { Simulator } from "../runtime/simulator.js";
import { handleAccountApi, type AccountContext } from "./account-api.js";
import { sameSecret, sessionAuthorizes } from "./dashboard/session.js";
import { failure } from "./api-shapes.js";
import type { Gate } from "./gate.js";
import { readBodyOrRefuse, type RouteHandler } from "./http-io.js";
import type { RequestLog } from "./request-log.js";
import type { ServerRecordKeeper } from "./server-record.js";
import { API_PREFIX, TOKEN_HEADER } from "./state-dir.js";
import type { WallClock } from "./wall-clock.js";

/** What the account API route works with. */
export interface ApiMountDeps {
  readonly sim: Simulator;
  readonly gate: Gate;
  readonly clock: WallClock;
  readonly log: RequestLog;
  readonly records: ServerRecordKeeper;
  /** The token every call must carry in {@link TOKEN_HEADER}. */
  readonly token: string;
  readonly startedAt: string;
  readonly write: (line: string) => void;
}

/** The route that serves the account API. */
export function mountAccountApi(deps: ApiMountDeps): RouteHandler {
  const { token, write } = deps;
  const context = accountContext(deps);
  return async (req, res, url) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(`${JSON.stringify(body)}\n`);
    };
    // The verbs send the token; the dashboard's page its session (see ./dashboard/session.ts).
    if (!sameSecret(singleHeader(req.headers[TOKEN_HEADER]), token) && !sessionAuthorizes(req, token)) {
      // Says how to authenticate, never where the token lives.
      reply(401, failure({ code: "unauthorized", message: `The account API needs this server's token in the ${TOKEN_HEADER} header; run the dosim verbs (dosim versions list, …), which send it.` }));
      return;
    }
    const raw = await readBodyOrRefuse(req, res);
    if (raw === undefined) return;
    let body: unknown;
    try {
      body = raw.length === 0 ? undefined : (JSON.parse(raw.toString("utf8")) as unknown);
    } catch {
      reply(400, failure({ code: "invalid-input", message: "The request body is not JSON." }));
      return;
    }
    try {
      const answer = await handleAccountApi({ method: req.method ?? "GET", path: url.pathname.slice(API_PREFIX.length), query: url.searchParams, body }, { ...context, url: deps.records.record.url });
      reply(answer.status, answer.body);
    } catch (error) {
      write(`[api] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      reply(500, failure({ code: "internal", message: error instanceof Error ? error.message : String(error) }));
    }
  };
}

/** The account API's view of the server (its `url` is filled in per call, once the server listens). */
function accountContext(deps: ApiMountDeps): AccountContext {
  const { sim, gate, clock, log, records, write } = deps;
  return {
    sim,
    workerName: sim.workerName,
    url: "",
    startedAt: deps.startedAt,
    change: (restarts, task, options) => {
      // Whether this change restarts workerd, as the gate decides it when the change's turn comes.
      let restarting = false;
      const decide = (): boolean => (restarting = typeof restarts === "function" ? restarts() : restarts);
      return gate.change(decide, async () => {
        await clock.sync();
        try {
          return restarting ? await clock.standStill(task) : await task();
        } finally {
          if (restarting) records.refresh();
        }
      }, options);
    },
    read: (task) => gate.shared(task),
    changed: async (summary) => {
      const { resets } = await log.takeResets();
      write(`[api] ${summary}${resets.length > 0 ? `; ${resets.length} object reset(s)` : ""}`);
    },
  };
}

/** A header's value, when it was sent once. */
function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
