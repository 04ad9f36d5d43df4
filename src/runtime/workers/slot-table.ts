/**
 * Which version runs in which spare slot, and how a version id becomes the names of its bindings.
 * A version loaded at start has bindings of its own (`Topology.versions`); a version loaded later
 * runs in a spare slot (slot-runtime.worker.ts) whose bindings exist from the start
 * (`Topology.slots`). The control plane decides the assignment and hands it out with the answers
 * the edge and the routing binding already ask for, so resolving a name costs no extra call. The
 * table lives in memory only: a restart of workerd loads every version into a worker of its own
 * and starts with empty slots.
 */
import type { SlotLoad, Topology, VersionTopology } from "./protocol.js";
import type { Version } from "../../model/types.js";

/** Version id → slot index, for the versions loaded into slots in this run of workerd. */
export type SlotAssignments = Readonly<Record<string, number>>;

/** The bindings of a version: its own worker's, or those of the slot it was loaded into. */
export function versionNames(topology: Topology, slots: SlotAssignments | undefined, versionId: string): VersionTopology | undefined {
  const own = topology.versions[versionId];
  if (own !== undefined) return own;
  const slot = slots?.[versionId];
  return slot === undefined ? undefined : topology.slots?.[slot];
}

/** The control binding of every version isolate, the slots' included (an empty slot answers too). */
export function everyControl(topology: Topology): string[] {
  return [...Object.values(topology.versions), ...(topology.slots ?? [])].map((names) => names.control);
}

/** How the routing binding learns where a slot's version is: the slot, and the annotations its traces carry (every version's answer carries those). */
export interface SlotAnswer {
  readonly slot?: number;
  readonly tag?: string;
  readonly message?: string;
}

/** What loading a version into a slot gave. */
/** A slot's answer to a load: loaded; the code threw while it loaded; or the slot cannot serve what it exports. */
export type SlotLoadAnswer = { readonly ok: true } | { readonly ok: false; readonly cause: string } | { readonly ok: false; readonly misfit: string };

/** A slot's control entrypoint, as the control plane calls it. */
interface SlotControl {
  loadVersion(request: SlotLoad): Promise<SlotLoadAnswer>;
}

/** The control plane's table of slot assignments. */
export class SlotTable {
  readonly #assigned = new Map<string, number>();

  /** The assignments, as the edge's routing info carries them. */
  assignments(): SlotAssignments {
    return Object.fromEntries(this.#assigned);
  }

  /** What the routing binding needs besides the version id (nothing for a version with its own worker). */
  answerFor(version: Pick<Version, "id" | "tag" | "message"> | undefined): SlotAnswer {
    const slot = version === undefined ? undefined : this.#assigned.get(version.id);
    if (slot === undefined) return {};
    return { slot, ...(version!.tag !== undefined && { tag: version!.tag }), ...(version!.message !== undefined && { message: version!.message }) };
  }

  /**
   * Loads a version into a free slot and records it there. The host picks the slot; a slot that
   * is out of range or taken is an internal error, never a user's.
   */
  async load(env: Record<string, unknown> & { readonly DOSIM_TOPOLOGY: Topology }, request: { slot: number; versionId: string; load: SlotLoad }): Promise<SlotLoadAnswer> {
    const names = env.DOSIM_TOPOLOGY.slots?.[request.slot];
    if (names === undefined) throw new Error(`internal error: there is no slot ${request.slot}`);
    if ([...this.#assigned.values()].includes(request.slot)) throw new Error(`internal error: slot ${request.slot} already runs a version`);
    const answer = await (env[names.control] as SlotControl).loadVersion(request.load);
    if (answer.ok) this.#assigned.set(request.versionId, request.slot);
    return answer;
  }
}
