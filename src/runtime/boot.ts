/**
 * The control plane's first state: the versions a run registers before workerd starts, built with
 * the model's own upload and deploy from the run's seed and start time. The host needs their ids
 * to build one worker per version; the control plane adopts this state when its storage is empty
 * and continues the same seeded id stream from `draws`.
 */
import { fullDeploy } from "../model/deploy.js";
import { ok, type Result } from "../model/errors.js";
import { withLimits, type Limits } from "../model/limits.js";
import { createRandom, randomUuid } from "../model/random.js";
import { emptyWorker, type ModelContext, type WorkerState } from "../model/types.js";
import { uploadVersion, type VersionInput } from "../model/versions.js";
import type { BootState } from "./workers/control-api.js";

/** Builds the boot state: the first input is deployed at 100% (a full deploy), the rest uploaded. */
export function computeBootState(options: {
  readonly workerName: string;
  readonly seed: string;
  readonly nowMs: number;
  readonly inputs: readonly VersionInput[];
  readonly limits?: Partial<Limits>;
}): Result<BootState> {
  const limits = withLimits(options.limits ?? {});
  const source = createRandom(options.seed);
  let draws = 0;
  const random = (): number => {
    draws++;
    return source();
  };
  const ctx: ModelContext = { nowMs: options.nowMs, newId: () => randomUuid(random) };
  let state: WorkerState = emptyWorker(options.workerName);
  for (const [index, input] of options.inputs.entries()) {
    const outcome = index === 0 ? fullDeploy(state, input, ctx, {}, limits) : uploadVersion(state, input, ctx, limits);
    if (!outcome.ok) return outcome;
    state = outcome.value.state;
  }
  return ok({ seed: options.seed, nowMs: options.nowMs, draws, state, ...(options.limits !== undefined && { limits: options.limits }) });
}
