/**
 * `--dry-run`: what a deployment or rollback would do, computed by the model's own functions on a
 * copy of the current state and ledger. Nothing is stored and nothing is reset.
 */
import { resolveCodeUpdate, type CodeUpdateRequest } from "../model/code-update.js";
import { deployVersions, type DeployOutcome } from "../model/deploy.js";
import { ok, type Result } from "../model/errors.js";
import { applyDeployment, type DeploymentEffect } from "../model/ledger.js";
import type { Limits } from "../model/limits.js";
import { rollback } from "../model/rollback.js";
import type { SpecItem } from "../model/deployment-spec.js";
import type { Deployment, ModelContext } from "../model/types.js";
import type { ControlSnapshotView } from "../runtime/workers/control-api.js";

/** What the account API was asked to deploy. */
export interface DeploymentAsk {
  readonly items: readonly SpecItem[];
  readonly message?: string;
  readonly codeUpdate?: CodeUpdateRequest;
  /** A rollback (to `items[0]`, a version id or tag, or to the model's default target when there is none). */
  readonly rollback?: boolean;
  /** Roll back even though the target's secrets differ (10220). */
  readonly force?: boolean;
}

/** The id a previewed deployment carries (it is never stored). */
export const PREVIEW_ID = "00000000-0000-4000-8000-000000000000";

/** The deployment the model would create for `ask` under the host's `limits`, and its effect on the known objects. */
export function previewDeployment(snapshot: ControlSnapshotView, ask: DeploymentAsk, limits: Limits): Result<{ deployment: Deployment; effect: DeploymentEffect }> {
  const ctx: ModelContext = { nowMs: snapshot.nowMs, newId: () => PREVIEW_ID };
  const codeUpdate = resolveCodeUpdate(ask.codeUpdate, limits);
  if (!codeUpdate.ok) return codeUpdate;
  const options = { codeUpdate: codeUpdate.value, ...(ask.message !== undefined && { message: ask.message }) };
  let outcome: Result<DeployOutcome>;
  if (ask.rollback === true) {
    const to = ask.items[0]?.ref;
    outcome = rollback(snapshot.worker, { ...options, ...(to !== undefined && { to }), ...(ask.force === true && { force: true }) }, ctx, limits);
  } else {
    outcome = deployVersions(snapshot.worker, ask.items, ctx, options, limits);
  }
  if (!outcome.ok) return outcome;
  const ledger = structuredClone(snapshot.ledger);
  return ok({ deployment: outcome.value.deployment, effect: applyDeployment(ledger, outcome.value.deployment, snapshot.nowMs) });
}
