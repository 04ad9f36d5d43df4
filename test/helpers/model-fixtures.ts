/**
 * Small builders shared by the model tests: a deterministic context, result unwrapping, Workers
 * with a few versions, and hand-made deployments for the ledger.
 */
import { expect } from "vitest";
import { fullDeploy } from "../../src/model/deploy.js";
import type { DosimError, ErrorCode, Result } from "../../src/model/errors.js";
import type { Limits } from "../../src/model/limits.js";
import { emptyWorker, type CodeUpdate, type Deployment, type ModelContext, type WorkerState } from "../../src/model/types.js";
import { uploadVersion, type VersionInput } from "../../src/model/versions.js";

/** A context whose ids are `id-1`, `id-2`... and whose time the test sets with `at`. */
export interface TestContext extends ModelContext {
  nowMs: number;
  at(ms: number): TestContext;
}

/** A fresh deterministic context. */
export function testContext(prefix = "id"): TestContext {
  let counter = 0;
  const ctx: TestContext = {
    nowMs: 0,
    newId: () => `${prefix}-${++counter}`,
    at(ms: number) {
      ctx.nowMs = ms;
      return ctx;
    },
  };
  return ctx;
}

/** The value of a successful result; fails the test with the refusal otherwise. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The refusal of a failed result, after checking its code. */
export function refusal<T>(result: Result<T>, code: ErrorCode): DosimError {
  if (result.ok) throw new Error(`expected refusal ${code}, got success`);
  expect(result.error.code).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(0);
  return result.error;
}

/** Deep-freezes a value, so a function that mutates its input throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

/**
 * A Worker whose first version (tag `labels[0]`) was fully deployed and whose other labels were
 * uploaded in order. Returns the state and the version id per label.
 */
export function workerWith(
  labels: readonly string[],
  ctx: ModelContext = testContext(),
  inputs: Readonly<Record<string, VersionInput>> = {},
  limits?: Limits,
): { state: WorkerState; ids: Record<string, string> } {
  const [first, ...rest] = labels;
  if (first === undefined) throw new Error("workerWith needs at least one label");
  const ids: Record<string, string> = {};
  const deployed = unwrap(fullDeploy(emptyWorker("w"), { tag: first, ...inputs[first] }, ctx, {}, limits));
  let state = deployed.state;
  ids[first] = deployed.version!.id;
  for (const label of rest) {
    const uploaded = unwrap(uploadVersion(state, { tag: label, ...inputs[label] }, ctx, limits));
    state = uploaded.state;
    ids[label] = uploaded.version.id;
  }
  return { state, ids };
}

let deploymentCounter = 0;

/** A hand-made deployment for ledger tests: `[["A", 80], ["B", 20]]`. */
export function deployment(entries: readonly (readonly [string, number])[], codeUpdate: CodeUpdate = { mode: "immediate" }, id?: string): Deployment {
  return {
    id: id ?? `d${++deploymentCounter}`,
    createdAtMs: 0,
    source: "versions-deploy",
    entries: entries.map(([versionId, percentage]) => ({ versionId, percentage })),
    codeUpdate,
  };
}

/** A percentage with three decimals, from a whole number of thousandths. */
export const thousandths = (value: number): number => value / 1000;
