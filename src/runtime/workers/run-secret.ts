/**
 * The check of the run's secret inside workerd (see {@link RUN_SECRET_HEADER}): the edge and the
 * control worker answer only requests the Node host sent.
 */
import { RUN_SECRET_BINDING, RUN_SECRET_HEADER } from "./protocol.js";

const encoder = new TextEncoder();

/** workerd's constant-time comparison (a Workers extension of Web Crypto, absent from Node's types). */
type WorkersSubtle = { timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean };

/** Whether `request` carries the secret bound to this worker (compared in constant time). */
export function carriesRunSecret(request: Request, env: Record<string, unknown>): boolean {
  const expected = env[RUN_SECRET_BINDING];
  const given = request.headers.get(RUN_SECRET_HEADER);
  if (typeof expected !== "string" || expected.length === 0 || given === null) return false;
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  return a.byteLength === b.byteLength && (crypto.subtle as unknown as WorkersSubtle).timingSafeEqual(a, b);
}

/** The answer to a request that did not come from the Node host. */
export function refusedWithoutSecret(): Response {
  return new Response("This port serves dosim's own traffic only; send requests to the address dosim printed.\n", {
    status: 403,
    headers: { "content-type": "text/plain" },
  });
}
