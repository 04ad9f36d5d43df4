/**
 * The public shapes of the programmatic API: how to start a simulator, how to describe a version,
 * and what a deployment or a restart reports. They live apart from {@link Simulator} so the
 * modules behind it can share them without importing the facade.
 */
import type { ClassMigration } from "../model/class-migrations.js";
import type { DeploymentEffect } from "../model/ledger.js";
import type { Limits } from "../model/limits.js";
import type { Version } from "../model/types.js";
import type { TraceEvent } from "./workers/protocol.js";

/** A version to register: the config's code and vars, with changes. */
export interface VersionSpec {
  /** A name for this version in deployment specs (`B@20,A@80`), besides its id and tag. */
  readonly label?: string;
  readonly tag?: string;
  readonly message?: string;
  /** Vars merged over the config's. */
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  /** Another wrangler config for this version's code (default: the simulator's config). */
  readonly config?: string;
  /** Another entry module (default: the config's `main`). */
  readonly main?: string;
  /** The config's environment (wrangler's `-e/--env`; default: the simulator's). */
  readonly env?: string;
  /** The newest Durable Object migration tag of this version (default: the config's own). */
  readonly migrationTag?: string;
  /** Durable Object class migrations after the config's own (renames and deletions take effect at a full deploy). */
  readonly migrations?: readonly ClassMigration[];
}

/**
 * A version registered as a worker before workerd starts, which the control plane records only
 * when an upload, full deploy or secret change passes it as `staged` (so no restart happens). Its
 * record comes from a dry run of the same operations on the model; the control plane checks that
 * the version it creates is this one.
 */
export interface StagedVersion {
  readonly version: Version;
  /** Where its code comes from (config and entry; the rest of the spec is ignored). */
  readonly spec?: VersionSpec;
  /**
   * False when no deployment of the run will name it (the dry run knows): no request and no object
   * ever runs on it, so workerd leaves it out (one such version per distinct code and vars still
   * runs, to check that its code starts). Default: it may be deployed.
   */
  readonly deployed?: boolean;
}

/** Passes a staged version to an operation that creates one. */
export interface StagedOption {
  readonly staged?: Version;
}

/** How to start a simulator. */
export interface SimulatorOptions {
  /** The Worker's wrangler config. Default: the one wrangler finds (wrangler.json, .jsonc or .toml here or above). */
  readonly config?: string;
  /** The config's environment, as wrangler's `-e/--env` selects it. */
  readonly env?: string;
  /** The run's seed: version and deployment ids and the per-request split follow from it. */
  readonly seed?: string;
  /** Virtual start time (ms since the epoch). Default: 2026-01-01T00:00:00Z. */
  readonly startMs?: number;
  /**
   * Versions registered before workerd starts (no restart later): the first is deployed at 100%
   * with a full deploy, the others are uploaded. Default: one version from the config.
   */
  readonly versions?: readonly VersionSpec[];
  /** Keep storage, the control plane and the versions' code here, across restarts of the host. */
  readonly persistDir?: string;
  readonly limits?: Partial<Limits>;
  /**
   * Where trace events go when drained (a long-running host writes them to a file). When given,
   * the simulator keeps none in memory and {@link Simulator.traces} returns only what it has not
   * handed over.
   */
  readonly traceSink?: (events: readonly TraceEvent[]) => void;
  /**
   * Versions to host from the start without recording them (a scenario's, from its dry run). With
   * staged versions, `versions` defaults to none: the control plane starts empty.
   */
  readonly staged?: readonly StagedVersion[];
  /**
   * Spare slots: workers started empty so that versions uploaded later can be loaded without a
   * restart of workerd (which ends every live instance). Each costs one worker at every start.
   * Default 0: every version a run needs is known before it starts.
   */
  readonly spareSlots?: number;
}

/** Something the simulator did that the platform would not (a restart of workerd). */
export interface SimulatorEvent {
  readonly type: "restart";
  readonly reason: string;
  /** Virtual time of the restart. */
  readonly atMs: number;
  /** Live instances that the restart ended (not platform resets: the ledger is unchanged). */
  readonly instancesLost: number;
}

/** What a deployment did. */
export interface DeployAnswer {
  readonly deploymentId: string;
  readonly effect: DeploymentEffect;
}

/** The default virtual start time. */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);
