/**
 * What the dev server checks before it routes a request: that its target parses into a URL (a
 * malformed `Host` is answered 400, never thrown), which headers user traffic may carry into
 * workerd, and whether a call to dosim's own endpoints names this server (DNS rebinding).
 */
import type { IncomingMessage } from "node:http";
import { networkInterfaces } from "node:os";

/**
 * Headers that steer Miniflare (`MF-*`: route overrides, proxy secrets, original URLs) or carry
 * dosim's own credentials (`x-dosim-*`). None may come from a client: Miniflare would route a
 * request with `MF-Route-Override` to any internal worker.
 */
export function isInternalHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("mf-") || lower.startsWith("x-dosim-");
}

/** The request's absolute URL, or undefined when its target or `Host` does not make one. */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const host = req.headers.host ?? "localhost";
  // A Host with a path, credentials or a query would silently change the URL's meaning.
  if (/[\s/?#@\\]/.test(host) || host.length === 0) return undefined;
  const target = req.url ?? "/";
  if (!target.startsWith("/")) return undefined;
  try {
    return new URL(target, `http://${host}`);
  } catch {
    return undefined;
  }
}

/**
 * The host names a client uses for a server listening on `address`: the loopback names, the
 * address itself, and every address of this machine when it listens on all of them.
 */
export function servedHostnames(address: string): Set<string> {
  const addresses = [address, "127.0.0.1", "::1"];
  if (address === "0.0.0.0" || address === "::") {
    for (const list of Object.values(networkInterfaces())) addresses.push(...(list ?? []).map((entry) => entry.address));
  }
  return new Set(["localhost", ...addresses.map((each) => (each.includes(":") ? `[${each}]` : each))]);
}

/**
 * Whether a call to dosim's own endpoints names this server in `Host` and, when a browser sent it,
 * in `Origin`. A page on another site that rebinds its name to 127.0.0.1 sends its own name.
 */
export function namesThisServer(req: IncomingMessage, url: URL, served: ReadonlySet<string>): boolean {
  if (!served.has(url.hostname)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return served.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}
