/**
 * Helpers for the runtime integration tests: a simulator over the bundled example Worker, a way to
 * hit one object, and the pure model's answer to compare with.
 */
import { versionForSlot } from "../../src/model/assignment.js";
import { objectSlotFromId } from "../../src/model/object-slots.js";
import type { Deployment } from "../../src/model/types.js";
import { Simulator, type SimulatorOptions } from "../../src/runtime/index.js";

/** Starts a simulator of ./wrangler.toml with versions A and B (A deployed). */
export function startExample(options: SimulatorOptions = {}): Promise<Simulator> {
  return Simulator.start({
    config: "wrangler.toml",
    seed: "runtime-tests",
    versions: [
      { label: "A", tag: "a" },
      { label: "B", tag: "b", vars: { GREETING: "Howdy" } },
    ],
    ...options,
  });
}

/** What `/objects/<name>` answers. */
export interface ObjectAnswer {
  readonly status: number;
  /** The example's `Worker-Version` header: the Worker version that served the request. */
  readonly workerVersion: string | null;
  /** The version the edge routed the request to. */
  readonly servedBy: string | undefined;
  readonly body: {
    object?: string;
    id?: string;
    version?: { id: string; tag: string | null };
    count?: number;
    hits?: number;
    startedAt?: string;
    error?: string;
    durableObjectReset?: boolean;
  };
}

/** Sends one request to the named Counter. */
export async function hitObject(sim: Simulator, name: string, init?: RequestInit, query = ""): Promise<ObjectAnswer> {
  const { response, versionId } = await sim.fetchServed(`/objects/${encodeURIComponent(name)}${query}`, init);
  const text = await response.text();
  let body: ObjectAnswer["body"];
  try {
    body = JSON.parse(text) as ObjectAnswer["body"];
  } catch {
    throw new Error(`/objects/${name}${query} answered ${response.status} with a body that is not JSON: ${JSON.stringify(text)}`);
  }
  return { status: response.status, workerVersion: response.headers.get("Worker-Version"), servedBy: versionId, body };
}

/** The version the pure model assigns to an object in a deployment. */
export function modelVersionOf(deployment: Pick<Deployment, "entries">, objectId: string): string {
  return versionForSlot(deployment, objectSlotFromId(objectId));
}

/** The active deployment, read from the simulator. */
export async function activeDeploymentOf(sim: Simulator): Promise<Deployment> {
  const deployments = (await sim.snapshot()).worker.deployments;
  return deployments[deployments.length - 1]!;
}
