/**
 * Serves the dashboard page and its live feed. Opening the URL that `dosim dev` prints (the page
 * with `?token=`) starts a session and drops the token from the address; the page and the feed
 * then need the session, and the page forbids framing, other origins' scripts and referrers.
 */
import { randomBytes } from "node:crypto";
import type { Simulator } from "../../runtime/simulator.js";
import type { RouteHandler } from "../http-io.js";
import { API_PREFIX } from "../state-dir.js";
import { streamFeed, type LogLines } from "./live-feed.js";
import { dashboardPage } from "./page.js";
import { DASHBOARD_PATH, EVENTS_PATH, hasSession, sameSecret, sessionCookie } from "./session.js";

/** What the dashboard's routes work with. */
export interface DashboardDeps {
  readonly sim: Simulator;
  readonly token: string;
  /** Runs a read of the simulator's state alongside other reads (the server's gate). */
  readonly shared: <T>(task: () => Promise<T>) => Promise<T>;
  readonly lines: LogLines;
}

/** True for the paths the dashboard serves (the API serves the rest of the prefix). */
export function isDashboardPath(pathname: string): boolean {
  return pathname === DASHBOARD_PATH || pathname === API_PREFIX || pathname === EVENTS_PATH;
}

const NOT_SIGNED_IN = "<!doctype html><title>dosim dev</title><p>Open the dashboard with the address that <code>dosim dev</code> printed when it started (it carries this server's token once).</p>\n";

/** The route that serves the page and the feed. */
export function mountDashboard(deps: DashboardDeps): RouteHandler {
  return async (req, res, url) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET", "content-type": "text/plain" });
      res.end("The dashboard only answers GET.\n");
      return;
    }
    const given = url.searchParams.get("token");
    if (url.pathname !== EVENTS_PATH && given !== null) {
      if (!sameSecret(given, deps.token)) {
        res.writeHead(401, { "content-type": "text/html; charset=utf-8", "referrer-policy": "no-referrer" });
        res.end(NOT_SIGNED_IN);
        return;
      }
      res.writeHead(303, { location: DASHBOARD_PATH, "set-cookie": sessionCookie(deps.token), "referrer-policy": "no-referrer", "cache-control": "no-store" });
      res.end();
      return;
    }
    if (!hasSession(req, deps.token)) {
      res.writeHead(401, { "content-type": "text/html; charset=utf-8" });
      res.end(NOT_SIGNED_IN);
      return;
    }
    if (url.pathname === EVENTS_PATH) {
      streamFeed(res, () => deps.shared(() => deps.sim.snapshot()), deps.lines);
      return;
    }
    const nonce = randomBytes(16).toString("base64");
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    });
    res.end(req.method === "HEAD" ? undefined : dashboardPage({ workerName: deps.sim.workerName, apiBase: API_PREFIX, eventsPath: EVENTS_PATH, nonce }));
  };
}
