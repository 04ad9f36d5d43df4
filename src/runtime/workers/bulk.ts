/**
 * Bulk traffic from inside workerd, so a large run is not limited by Node → workerd HTTP.
 *
 * The edge draws everything about request i in request order: its path, object name and version
 * key from the bulk seed, then its version from the edge's own stream, exactly as for a request
 * from outside. Requests go out in windows of at most `concurrency`; a window holds each object
 * name at most once and the next window starts when the last one is done, so the requests of one
 * object run one after another, in request order, and its storage sees the same writes on every
 * run. (Only names from `objectNames`/`objectCount` are kept apart this way: requests to `paths`
 * are taken to be independent of each other.)
 *
 * Each version gets its share of a window as one batch and runs it through its own wrapped fetch
 * handler in its isolate (bulk-batch.ts): one RPC per version and window instead of one
 * service-binding hop per request, which cost more than a whole `/` request. Outcomes are kept by
 * request index and tallied in index order, so the result does not depend on the order in which
 * requests finished.
 *
 * The control plane learns of an object at its first request, and the ledger keeps objects in that
 * order. So a window with a name not seen before in the run sends its batches one version after
 * the other (a batch issues its requests in order), and the ledger comes out the same on every
 * run; the other windows send them all at once.
 *
 * A `during` operation (control plane calls, such as a deploy) is made from here at the window
 * holding a given request: after that window, or, with a hold, while its requests are held in
 * their objects, so the resets it causes fail exactly the held requests to the objects it moves.
 */
import { createRandom } from "../../model/random.js";
import { fillPath } from "./request-template.js";
import { RESET, THROWN, thrownFlags, type Batch, type BatchOutcome, type BatchRequest } from "./bulk-batch.js";
import type { BulkDuring, BulkDuringResult, BulkResult, BulkSpec, ControlCall } from "./control-api.js";

const DEFAULT_CONCURRENCY = 128;

/** Where requests to an object go when the spec does not say: the bundled example's route. */
const DEFAULT_OBJECT_PATH = "/objects/{name}";

/** Where a window's requests go: a version, or a status the edge answers itself (no version to run). */
export type Destination = { readonly versionId: string } | { readonly status: number };

/** What the edge lends the bulk loop. */
export interface BulkEdge {
  /** The routing in force now: picks the destination of one request, drawing from the edge's stream. */
  router(): Promise<(request: { versionKey: string | null; overridesHeader: string | null }) => Destination>;
  /** Runs a batch in a version's isolate. */
  send(versionId: string, batch: Batch): Promise<BatchOutcome>;
  /** Makes the control plane calls of a `during` operation, in order, up to the first refusal. */
  operate(calls: readonly ControlCall[]): Promise<Omit<BulkDuringResult, "window" | "versionsBefore">>;
}

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

/** One drawn request: its path, its object name (if any) and its version key. */
interface Drawn {
  readonly path: string;
  readonly name: string | undefined;
  readonly versionKey: string | undefined;
}

/** The seeded stream of requests of a spec (draws in the same order on every run). */
function requestStream(spec: BulkSpec): () => Drawn {
  const names = objectNamesOf(spec);
  const paths = spec.paths ?? ["/"];
  const objectShare = spec.objectShare ?? (names.length > 0 ? 1 : 0);
  const keys = spec.versionKeys ?? [];
  const random = createRandom(spec.seed ?? "bulk");
  let objectRequests = 0;
  return () => {
    const useObject = names.length > 0 && random() < objectShare;
    const name = !useObject ? undefined : spec.order === "sequential" ? names[objectRequests++ % names.length]! : pick(names, random);
    const path = name !== undefined ? fillPath(spec.objectPath ?? DEFAULT_OBJECT_PATH, name) : pick(paths, random);
    return { path, name, versionKey: keys.length > 0 ? pick(keys, random) : undefined };
  };
}

/** Every request's outcome, by request index. */
interface Outcomes {
  readonly status: Uint16Array;
  readonly versions: string[];
  readonly flags: Uint8Array;
}

/** Picks one request's destination (see {@link BulkEdge.router}). */
type Chooser = Awaited<ReturnType<BulkEdge["router"]>>;

/** One window: the batch of each version (in order of their first request) and whether it has a new name. */
interface Window {
  readonly batches: Map<string, BatchRequest[]>;
  readonly fresh: boolean;
}

/**
 * Cuts the spec's request stream into windows of at most `size` requests, each name at most once
 * per window, routing each request as it is drawn (requests the edge answers itself are recorded
 * at once).
 */
function windowStream(spec: BulkSpec, size: number, outcomes: Outcomes): (choose: Chooser, first: number) => Window & { readonly end: number } {
  const draw = requestStream(spec);
  const overridesHeader = spec.overridesHeader ?? null;
  const seen = new Set<string>();
  let carried: Drawn | undefined;
  return (choose, first) => {
    const batches = new Map<string, BatchRequest[]>();
    const names = new Set<string>();
    let fresh = false;
    let index = first;
    while (index - first < size && index < spec.requests) {
      const drawn = carried ?? draw();
      carried = undefined;
      if (drawn.name !== undefined) {
        if (names.has(drawn.name)) {
          carried = drawn;
          break;
        }
        names.add(drawn.name);
        fresh ||= !seen.has(drawn.name);
        seen.add(drawn.name);
      }
      const destination = choose({ versionKey: drawn.versionKey ?? null, overridesHeader });
      if ("status" in destination) {
        outcomes.status[index] = destination.status;
        outcomes.versions[index] = "none";
      } else {
        let batch = batches.get(destination.versionId);
        if (batch === undefined) batches.set(destination.versionId, (batch = []));
        batch.push({ index, path: drawn.path, ...(drawn.name !== undefined && { name: drawn.name }), ...(drawn.versionKey !== undefined && { versionKey: drawn.versionKey }) });
      }
      index++;
    }
    return { batches, fresh, end: index };
  };
}

/** Runs the spec's requests through the edge's routing and the versions' handlers, and tallies them. */
export async function runBulk(edge: BulkEdge, spec: BulkSpec): Promise<BulkResult> {
  const startMs = Date.now();
  const total = spec.requests;
  const outcomes: Outcomes = { status: new Uint16Array(total), versions: new Array<string>(total), flags: new Uint8Array(total) };
  const nextWindow = windowStream(spec, Math.max(1, spec.concurrency ?? DEFAULT_CONCURRENCY), outcomes);
  const shape = {
    method: spec.method ?? "GET",
    ...(spec.overridesHeader !== undefined && { overridesHeader: spec.overridesHeader }),
    ...(spec.headers !== undefined && { headers: spec.headers }),
    ...(spec.body !== undefined && { body: spec.body }),
  };

  const run = async ([versionId, requests]: [string, BatchRequest[]], holdMs?: number): Promise<void> => {
    const outcome = await edge.send(versionId, { ...shape, requests, ...(holdMs !== undefined && { holdMs }) }).catch(
      // The batch as a whole failed (its version's isolate went away): every request in it threw.
      (error: unknown): BatchOutcome => {
        const flag = thrownFlags(error);
        return { status: requests.map(() => 0), flags: requests.map(() => flag) };
      },
    );
    requests.forEach((request, position) => {
      outcomes.status[request.index] = outcome.status[position]!;
      // The version is the one the edge routed the request to, whatever its answer says.
      outcomes.versions[request.index] = versionId;
      outcomes.flags[request.index] = outcome.flags[position]!;
    });
  };

  const during = spec.during;
  const duringAt = during === undefined ? -1 : Math.max(0, during.afterRequests - 1);
  let duringResult: Omit<BulkDuringResult, "versionsBefore"> | undefined;
  for (let index = 0; index < total; ) {
    // The routing in force when the window starts (a deployment in between applies to the next one).
    const window = nextWindow(await edge.router(), index);
    if (during !== undefined && duringResult === undefined && window.end > duringAt) {
      duringResult = { window: { first: index, end: window.end }, ...(await runWindowDuring(edge, during, window, run)) };
    } else {
      await runWindow(window, run);
    }
    index = window.end;
  }
  const counted = tally(outcomes);
  if (duringResult === undefined) return { requests: total, ...counted, elapsedMs: Date.now() - startMs };
  const versionsBefore = tally(sliceOutcomes(outcomes, duringResult.window.end)).byVersion;
  return { requests: total, ...counted, elapsedMs: Date.now() - startMs, during: { ...duringResult, versionsBefore } };
}

/** The outcomes of the first `end` requests. */
function sliceOutcomes({ status, versions, flags }: Outcomes, end: number): Outcomes {
  return { status: status.subarray(0, end), versions: versions.slice(0, end), flags: flags.subarray(0, end) };
}

type Send = (batch: [string, BatchRequest[]], holdMs?: number) => Promise<void>;

/**
 * Sends a window's batches: one version after another when it has a new name (see the top), else
 * all at once; with `holdMs`, their object calls are held (see call-hold.ts).
 */
async function runWindow(window: Window, run: Send, onLastSent?: () => void, holdMs?: number): Promise<void> {
  const batches = [...window.batches];
  if (window.fresh) {
    for (const [position, batch] of batches.entries()) {
      const sent = run(batch, holdMs);
      if (position === batches.length - 1) onLastSent?.();
      await sent;
    }
  } else {
    const sent = Promise.all(batches.map((batch) => run(batch, holdMs)));
    onLastSent?.();
    await sent;
  }
}

/**
 * Runs the window of a `during` operation and the operation. Without a hold the operation runs
 * once the window is done. With one, every object call of the window's requests is held (dosim
 * holds it between choosing the object's version and calling it: call-hold.ts), and the operation
 * starts `delayMs` after the window's (last) batch was sent; the next window waits for both.
 * Whether a held request fails depends only on whether its object moved, provided two margins
 * hold: each request of the window has its object's version chosen within `delayMs`, and the
 * operation's resets land before the hold ends (see the scenario runner's
 * choice of both, which leaves ~4x what a loaded 2-core machine needs).
 */
async function runWindowDuring(edge: BulkEdge, during: BulkDuring, window: Window, run: Send): Promise<Omit<BulkDuringResult, "window" | "versionsBefore">> {
  if (during.holdMs === undefined) {
    await runWindow(window, run);
    return edge.operate(during.calls);
  }
  let lastSent!: () => void;
  const sent = new Promise<void>((resolve) => (lastSent = resolve));
  const requests = runWindow(window, run, () => lastSent(), during.holdMs);
  const operation = sent
    .then(() => new Promise((resolve) => setTimeout(resolve, during.delayMs ?? 0)))
    .then(() => edge.operate(during.calls));
  const [result] = await Promise.all([operation, requests]);
  return result;
}

/** Counts the outcomes in request order, with a digest of every request's status and version. */
function tally({ status, versions, flags }: Outcomes): Pick<BulkResult, "byStatus" | "byVersion" | "resetErrors" | "thrown" | "digest"> {
  const byStatus: Record<string, number> = {};
  const byVersion: Record<string, number> = {};
  let resetErrors = 0;
  let thrown = 0;
  let hash = 0x811c9dc5;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  };
  for (let index = 0; index < status.length; index++) {
    const flag = flags[index]!;
    if ((flag & RESET) !== 0) resetErrors++;
    if ((flag & THROWN) !== 0) {
      thrown++;
    } else {
      const code = String(status[index]);
      byStatus[code] = (byStatus[code] ?? 0) + 1;
      byVersion[versions[index]!] = (byVersion[versions[index]!] ?? 0) + 1;
    }
    mix(`${status[index]} ${versions[index]} ${flag};`);
  }
  return { byStatus, byVersion, resetErrors, thrown, digest: hash.toString(16).padStart(8, "0") };
}
