/**
 * `--dry-run` previews: computed by the model under the host's limits, not the defaults, so a
 * preview refuses exactly what the real change would.
 */
import { describe, expect, it } from "vitest";
import { emptyLedger } from "../../src/model/ledger.js";
import { withLimits } from "../../src/model/limits.js";
import type { WorkerState } from "../../src/model/types.js";
import { previewDeployment } from "../../src/dev/preview.js";
import type { ControlSnapshotView } from "../../src/runtime/workers/control-api.js";
import { refusal, unwrap, workerWith } from "../helpers/model-fixtures.js";

const snapshotOf = (worker: WorkerState): ControlSnapshotView => ({ worker, ledger: emptyLedger(), nowMs: 0, classes: {}, liveInstances: {}, instanceEvents: [], instanceCounts: { started: 0, refused: 0, stopped: 0, overlapping: 0 } });

describe("previewDeployment", () => {
  const { state, ids } = workerWith(["A", "B", "C"]);

  it("applies the host's limits to a deployment", () => {
    const ask = { items: [{ ref: ids["B"]!, percentage: 50 }, { ref: ids["C"]!, percentage: 50 }] };
    expect(unwrap(previewDeployment(snapshotOf(state), ask, withLimits())).deployment.entries).toHaveLength(2);
    refusal(previewDeployment(snapshotOf(state), ask, withLimits({ maxVersionsPerDeployment: 1 })), "too-many-versions");
  });

  it("applies the host's limits to a rollback", () => {
    const ask = { items: [{ ref: ids["A"]! }], rollback: true };
    unwrap(previewDeployment(snapshotOf(state), ask, withLimits()));
    refusal(previewDeployment(snapshotOf(state), ask, withLimits({ deployableVersionWindow: 2 })), "version-outside-window");
  });
});
