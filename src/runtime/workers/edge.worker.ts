/**
 * The edge: every request enters here and goes to the version the model picks for it, in the
 * platform's precedence (a usable override header, then the version key, then a seeded draw
 * weighted by the percentages). The control plane pushes the active deployment at every change;
 * the per-request stream is seeded by (run seed, deployment id), so a run replays exactly.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { createRandom, type RandomSource } from "../../model/random.js";
import { createRequestRouter, type RequestRouter } from "../../model/request-routing.js";
import { VERSION_KEY_HEADER } from "../../model/version-key.js";
import { VERSION_OVERRIDES_HEADER } from "../../model/version-overrides.js";
import type { Batch, BatchOutcome } from "./bulk-batch.js";
import { runBulk, type BulkEdge, type Destination } from "./bulk.js";
import type { BulkResult, BulkSpec, ControlCall, ControlSnapshotView, JournalView, RoutingInfo } from "./control-api.js";
import { CONTROL_OBJECT_NAME, RUN_SECRET_HEADER, type Topology } from "./protocol.js";
import { carriesRunSecret, refusedWithoutSecret } from "./run-secret.js";
import { stampServedVersion } from "./served-version.js";
import { versionNames, type SlotAssignments } from "./slot-table.js";

type Env = Record<string, unknown> & {
  readonly CONTROL: DurableObjectNamespace;
  readonly DOSIM_TOPOLOGY: Topology;
};

interface Route {
  readonly deploymentId: string | undefined;
  readonly router: RequestRouter | undefined;
  readonly random: RandomSource;
  /** Versions loaded into spare slots (see slot-table.ts). */
  readonly slots: SlotAssignments | undefined;
}

let route: Route | undefined;

function routeFor(info: RoutingInfo): Route {
  const deployment = info.deployment;
  const sameDeployment = route !== undefined && route.deploymentId === deployment?.id;
  return {
    deploymentId: deployment?.id,
    router: deployment === null ? undefined : sameDeployment ? route!.router : createRequestRouter(deployment, info.workerName),
    // A new deployment starts a new stream; a clock change keeps the current one.
    random: sameDeployment ? route!.random : createRandom(`${info.seed}/requests/${deployment?.id ?? "none"}`),
    slots: info.slots,
  };
}

/** The control plane's methods the edge calls. */
type ControlPlaneStub = { routing(): Promise<RoutingInfo>; stashTraces(): Promise<number>; journal(request: { resetsFrom: number; objectIds: readonly string[] }): Promise<JournalView>; snapshot(): Promise<ControlSnapshotView> } & Record<
  ControlCall["method"],
  (...args: unknown[]) => Promise<unknown>
>;

function controlPlane(env: Env): ControlPlaneStub {
  return env.CONTROL.get(env.CONTROL.idFromName(CONTROL_OBJECT_NAME)) as unknown as ControlPlaneStub;
}

async function currentRoute(env: Env): Promise<Route> {
  if (route === undefined) {
    const info = await controlPlane(env).routing();
    route ??= routeFor(info);
  }
  return route;
}

/** Routes one request to its version and returns that version's response. */
async function handle(request: Request, env: Env): Promise<Response> {
  // Requests come through the Node host only, never straight to workerd's port.
  if (!carriesRunSecret(request, env)) return refusedWithoutSecret();
  const headers = new Headers(request.headers);
  headers.delete(RUN_SECRET_HEADER);
  request = new Request(request, { headers });
  const { router, random, slots } = await currentRoute(env);
  if (router === undefined) return new Response("This Worker has not been deployed yet.", { status: 503 });
  const { versionId } = router({
    overridesHeader: request.headers.get(VERSION_OVERRIDES_HEADER),
    versionKey: request.headers.get(VERSION_KEY_HEADER),
    random,
  });
  const service = versionNames(env.DOSIM_TOPOLOGY, slots, versionId)?.service;
  const target = service === undefined ? undefined : (env[service] as Fetcher | undefined);
  if (target === undefined) return new Response(`Version ${versionId} is not loaded yet; retry after the host restarts.`, { status: 503 });
  return stampServedVersion(await target.fetch(request), versionId);
}

/** A version's control entrypoint, as the edge calls it for bulk traffic. */
interface VersionControl {
  runBatch(batch: Batch): Promise<BatchOutcome>;
}

/**
 * The edge as bulk traffic sees it: the same routing as {@link handle} (same router, same stream,
 * same 503 answers), each version's batch sent to that version's control entrypoint, and a
 * `during` operation's calls made on the control plane from here, while the traffic runs.
 */
function bulkEdge(env: Env): BulkEdge {
  return {
    async router() {
      const { router, random, slots } = await currentRoute(env);
      return (request): Destination => {
        if (router === undefined) return { status: 503 };
        const { versionId } = router({ ...request, random });
        const control = versionNames(env.DOSIM_TOPOLOGY, slots, versionId)?.control;
        return control !== undefined && env[control] !== undefined ? { versionId } : { status: 503 };
      };
    },
    send(versionId, batch) {
      const control = env[versionNames(env.DOSIM_TOPOLOGY, route?.slots, versionId)!.control] as VersionControl;
      return control.runBatch(batch);
    },
    async operate(calls) {
      const control = controlPlane(env);
      const tracesBefore = await control.stashTraces();
      const resetsBefore = (await control.journal({ resetsFrom: Number.MAX_SAFE_INTEGER, objectIds: [] })).resetsTotal;
      const answers: unknown[] = [];
      for (const call of calls) {
        const answer = (await control[call.method](...call.args)) as { ok?: boolean };
        answers.push(answer);
        if (answer.ok === false) break;
      }
      return { answers, resetsBefore, tracesBefore, snapshot: await control.snapshot() };
    },
  };
}

export default {
  fetch: handle,
};

/** The control plane's and the host's way in: routing pushes, and bulk traffic. */
export class DosimEdgeControl extends WorkerEntrypoint<Env> {
  /** Receives the active deployment and the clock from the control plane. */
  setRouting(info: RoutingInfo): void {
    route = routeFor(info);
  }

  /** Sends bulk traffic from this isolate: routed here as a request from outside, run by its version. */
  bulk(spec: BulkSpec): Promise<BulkResult> {
    return runBulk(bulkEdge(this.env), spec);
  }
}
