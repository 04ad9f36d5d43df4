/**
 * The run's secret on the Node side: drawn once per process from the system's random source, given
 * to the edge and the control worker as a binding, and sent on every request the host makes into
 * workerd. Any other local process can reach workerd's port, but not with this secret.
 */
import { randomBytes } from "node:crypto";
import { RUN_SECRET_HEADER } from "./workers/protocol.js";

/** This process's secret (never written to disk or to the command line). */
export const RUN_SECRET = randomBytes(32).toString("hex");

/** `headers` with the run's secret set (any value a caller put there is replaced). */
export function withRunSecret(headers?: ConstructorParameters<typeof Headers>[0]): Headers {
  const result = new Headers(headers);
  result.set(RUN_SECRET_HEADER, RUN_SECRET);
  return result;
}
