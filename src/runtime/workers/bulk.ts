/**
 * Bulk traffic from inside workerd: N requests through the edge with a fixed number in flight, so
 * a large run is not limited by Node → workerd HTTP. Which path, object name and version key each
 * request uses comes from a seeded stream, so the mix is the same on every run.
 */
import { createRandom } from "../../model/random.js";
import { VERSION_KEY_HEADER } from "../../model/version-key.js";
import { VERSION_OVERRIDES_HEADER } from "../../model/version-overrides.js";
import type { BulkResult, BulkSpec } from "./control-api.js";

const DEFAULT_CONCURRENCY = 32;

/** The object names a spec spreads its object requests over. */
function objectNamesOf(spec: BulkSpec): readonly string[] {
  if (spec.objectNames !== undefined) return spec.objectNames;
  const count = spec.objectCount ?? 0;
  const prefix = spec.objectPrefix ?? "object-";
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`);
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length) % items.length]!;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Sends the spec's requests through `send` (the edge's own handler) and tallies the answers. */
export async function runBulk(send: (request: Request) => Promise<Response>, spec: BulkSpec): Promise<BulkResult> {
  const names = objectNamesOf(spec);
  const paths = spec.paths ?? ["/"];
  const objectShare = spec.objectShare ?? (names.length > 0 ? 1 : 0);
  const random = createRandom(spec.seed ?? "bulk");
  const byStatus: Record<string, number> = {};
  const byVersion: Record<string, number> = {};
  let resetErrors = 0;
  let thrown = 0;
  let next = 0;
  let objectRequests = 0;
  const startMs = Date.now();
  const nextName = (): string => (spec.order === "sequential" ? names[objectRequests++ % names.length]! : pick(names, random));

  const one = async (): Promise<void> => {
    const useObject = names.length > 0 && random() < objectShare;
    const path = useObject ? `/objects/${encodeURIComponent(nextName())}` : pick(paths, random);
    const headers = new Headers();
    if (spec.versionKeys !== undefined && spec.versionKeys.length > 0) headers.set(VERSION_KEY_HEADER, pick(spec.versionKeys, random));
    if (spec.overridesHeader !== undefined) headers.set(VERSION_OVERRIDES_HEADER, spec.overridesHeader);
    try {
      const response = await send(new Request(`http://dosim.bulk${path}`, { method: spec.method ?? "GET", headers }));
      bump(byStatus, String(response.status));
      bump(byVersion, response.headers.get("Worker-Version") ?? "none");
      if (response.status === 503) {
        const body = await response.text();
        if (body.includes("durableObjectReset")) resetErrors++;
      } else {
        await response.arrayBuffer();
      }
    } catch (error) {
      thrown++;
      if ((error as { durableObjectReset?: boolean }).durableObjectReset === true) resetErrors++;
    }
  };

  const lane = async (): Promise<void> => {
    while (next < spec.requests) {
      next++;
      await one();
    }
  };
  const lanes = Math.max(1, Math.min(spec.concurrency ?? DEFAULT_CONCURRENCY, spec.requests));
  await Promise.all(Array.from({ length: lanes }, lane));
  return { requests: spec.requests, byStatus, byVersion, resetErrors, thrown, elapsedMs: Date.now() - startMs };
}
