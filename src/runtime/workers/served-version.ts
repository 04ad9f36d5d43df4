/**
 * Version attribution by the host: the edge marks each answer with the version it routed the
 * request to, so the Node host knows which version served it without the user's code saying so.
 */
import { SERVED_VERSION_HEADER } from "./protocol.js";

/**
 * `response` with {@link SERVED_VERSION_HEADER} set to `versionId`. An answer that came through a
 * service binding has immutable headers, so it is copied; `new Response(body, response)` keeps its
 * status, headers and WebSocket.
 */
export function stampServedVersion(response: Response, versionId: string): Response {
  const stamped = new Response(response.body, response);
  stamped.headers.set(SERVED_VERSION_HEADER, versionId);
  return stamped;
}
