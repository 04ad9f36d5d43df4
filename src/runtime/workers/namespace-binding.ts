/**
 * Which namespace binding of a version reaches the objects a routing binding asks for: the one
 * with the calling version's storage (its unique key), so that a renamed class reaches its objects
 * under the old name in older versions; else the class's own. Shared by the host, which builds the
 * routing bindings, and the object router, which forwards their calls.
 */
import type { VersionTopology } from "./protocol.js";

/** The binding name of `version`'s namespace for `className` as seen by a caller with `uniqueKey`, if it has one. */
export function namespaceBinding(version: VersionTopology, className: string, uniqueKey: string | undefined): string | undefined {
  const sameStorage = Object.keys(version.namespaces).find((name) => uniqueKey !== undefined && version.namespaceKeys?.[name] === uniqueKey);
  return version.namespaces[sameStorage ?? className];
}
