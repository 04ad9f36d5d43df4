/**
 * Who may use the dashboard. The page is opened once with the server's token in the query (the
 * URL `dosim dev` prints); the server answers with a session cookie derived from the token and
 * sends the browser on to the same page without the token, so it never stays in the address bar,
 * the history or a Referer. The cookie is HttpOnly (no script reads it), SameSite=Strict (no other
 * site's page sends it) and scoped to dosim's own path. Writes made with the cookie must also carry
 * an Origin (which the router checks against this server) and a custom header that no cross-origin
 * page can send without a preflight this server never grants.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { API_PREFIX } from "../state-dir.js";

/** The dashboard page. */
export const DASHBOARD_PATH = `${API_PREFIX}/`;
/** Its live feed (server-sent events). */
export const EVENTS_PATH = `${API_PREFIX}/events`;
/** The session cookie's name. */
export const SESSION_COOKIE = "dosim_session";
/** The header the page sends with every call; a cross-origin page cannot send it unasked. */
export const DASHBOARD_HEADER = "x-dosim-dashboard";

/** The session cookie's value for `token`: a MAC, so the cookie never holds the token itself. */
export function sessionValue(token: string): string {
  return createHmac("sha256", token).update("dosim dashboard session").digest("hex");
}

/** The Set-Cookie header that starts a session. */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; Path=${API_PREFIX}; HttpOnly; SameSite=Strict`;
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** Constant-time equality of two strings. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request carries this server's session cookie. */
export function hasSession(req: IncomingMessage, token: string): boolean {
  return sameSecret(cookieOf(req, SESSION_COOKIE), sessionValue(token));
}

/**
 * True when the session may make this call: reads with the cookie alone; writes only with an
 * Origin (checked by the router against this server) and the dashboard's header as well.
 */
export function sessionAuthorizes(req: IncomingMessage, token: string): boolean {
  if (!hasSession(req, token)) return false;
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return true;
  return typeof req.headers.origin === "string" && req.headers[DASHBOARD_HEADER] === "1";
}
