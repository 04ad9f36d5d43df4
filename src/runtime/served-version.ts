/**
 * The Node side of version attribution: reads the version the edge says served an answer, and
 * removes the mark so that nothing of dosim's reaches the caller.
 */
import { SERVED_VERSION_HEADER } from "./workers/protocol.js";

/** The id of the version that served `response` (undefined when the edge answered itself), after removing the mark. */
export function takeServedVersion(response: Response): string | undefined {
  const versionId = response.headers.get(SERVED_VERSION_HEADER) ?? undefined;
  response.headers.delete(SERVED_VERSION_HEADER);
  return versionId;
}
