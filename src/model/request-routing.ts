/**
 * Which version serves a request, in the platform's precedence: a usable override header, then a
 * version key, then a random draw weighted by the percentages.
 *
 * Randomness: every request consumes exactly one draw, even when a header decides it. The n-th
 * request then always owns the n-th number of the seeded stream, so adding a header to some
 * requests (or changing the deployment) never reshuffles the versions drawn for the others, and
 * two runs that differ only in headers can be compared request by request.
 */
import { cumulativeBounds, entryIndexForSlot, fractionToSlot } from "./assignment.js";
import type { RandomSource } from "./random.js";
import type { Deployment, VersionId } from "./types.js";
import { versionKeySlot } from "./version-key.js";
import { overrideVersionFor } from "./version-overrides.js";

/** What decided a request's version. */
export type RoutingReason = "override" | "version-key" | "random";

/** The version chosen for one request, and why. */
export interface RequestRouting {
  readonly versionId: VersionId;
  readonly reason: RoutingReason;
}

/** The parts of one request that routing reads. */
export interface RoutedRequest {
  /** `Cloudflare-Workers-Version-Overrides`, as received (null/undefined when absent). */
  readonly overridesHeader?: string | null;
  /** `Cloudflare-Workers-Version-Key`; absent or empty means no key. */
  readonly versionKey?: string | null;
  /** The run's seeded source; called exactly once per request. */
  readonly random: RandomSource;
}

/** Routes requests to one Worker's deployment; built once, called per request. */
export type RequestRouter = (request: RoutedRequest) => RequestRouting;

/**
 * A router for `deployment` of `workerName` with the slot bounds computed once, for hot loops.
 * The last override header seen is remembered, since bulk traffic tends to repeat one value.
 * Throws on a deployment without entries: the model never creates one.
 */
export function createRequestRouter(deployment: Pick<Deployment, "entries">, workerName: string): RequestRouter {
  if (deployment.entries.length === 0) throw new Error("a deployment always lists at least one version");
  const bounds = cumulativeBounds(deployment.entries);
  const versionIds = deployment.entries.map((entry) => entry.versionId);
  const versionAt = (slot: number): VersionId => versionIds[entryIndexForSlot(bounds, slot)]!;
  let lastHeader: string | undefined;
  let lastOverride: VersionId | undefined;

  return (request) => {
    const draw = request.random();
    const header = request.overridesHeader;
    if (header !== null && header !== undefined) {
      if (header !== lastHeader) {
        lastHeader = header;
        lastOverride = overrideVersionFor(header, workerName, deployment);
      }
      if (lastOverride !== undefined) return { versionId: lastOverride, reason: "override" };
    }
    const key = request.versionKey;
    if (key !== null && key !== undefined && key !== "") {
      return { versionId: versionAt(versionKeySlot(key)), reason: "version-key" };
    }
    return { versionId: versionAt(fractionToSlot(draw)), reason: "random" };
  };
}

/**
 * The version of `deployment` that serves one request to `workerName`: a valid override, else the
 * version key's slot, else a weighted random draw. Use {@link createRequestRouter} in loops.
 */
export function chooseRequestVersion(
  deployment: Pick<Deployment, "entries">,
  request: RoutedRequest & { readonly workerName: string },
): RequestRouting {
  return createRequestRouter(deployment, request.workerName)(request);
}
