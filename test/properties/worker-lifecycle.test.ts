/**
 * A model-based test of a Worker's lifecycle: random sequences of upload, full deploy, versions
 * deploy, rollback, secret put and versions secret put run against the model and against a tiny
 * reference written here. The reference predicts each outcome (success or the refusal's code) and
 * the resulting state; invariants are checked after every command, and a refusal must leave the
 * (deep-frozen) state untouched. A failure shrinks to a short command list and prints its seed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deployVersions, fullDeploy } from "../../src/model/deploy.js";
import type { ErrorCode, Result } from "../../src/model/errors.js";
import { withLimits } from "../../src/model/limits.js";
import { rollback } from "../../src/model/rollback.js";
import { putSecret, putVersionSecret } from "../../src/model/secrets.js";
import { emptyWorker, type WorkerState } from "../../src/model/types.js";
import { uploadVersion } from "../../src/model/versions.js";
import { deepFreeze, testContext, type TestContext } from "../helpers/model-fixtures.js";

/** A small window so that window refusals happen in short runs. */
const LIMITS = withLimits({ deployableVersionWindow: 4 });

/** The reference: versions by number (1-based), deployments by version number. */
interface Reference {
  versions: { secrets: Record<string, string>; migrationTag?: string }[];
  deployments: { entries: { number: number; percentage: number }[]; source: string }[];
  applied?: string;
  barrier?: number;
}

interface Real {
  state: WorkerState;
  ctx: TestContext;
}

type Outcome = { ok: true } | { ok: false; code: ErrorCode };

/** Why `number` cannot be deployed, if it cannot. */
function notDeployable(ref: Reference, number: number): ErrorCode | undefined {
  if (number < ref.versions.length - LIMITS.deployableVersionWindow + 1) return "version-outside-window";
  if (ref.barrier !== undefined && number < ref.barrier) return "version-before-migration";
  return undefined;
}

/** How often each outcome was predicted, so the test can tell it exercised every rule. */
const predictedOutcomes = new Map<string, number>();

/** Runs the model's answer against the reference's prediction and checks state on refusal. */
function settle(real: Real, result: Result<{ state: WorkerState }>, predicted: Outcome, commit: () => void): void {
  const before = real.state;
  const key = predicted.ok ? "ok" : predicted.code;
  predictedOutcomes.set(key, (predictedOutcomes.get(key) ?? 0) + 1);
  if (predicted.ok) {
    if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
    real.state = deepFreeze(result.value.state);
    commit();
  } else {
    expect(result.ok ? "ok" : result.error.code).toBe(predicted.code);
    expect(real.state).toBe(before);
  }
}

/** The invariants of any Worker state, and its agreement with the reference. */
function checkInvariants(ref: Reference, state: WorkerState): void {
  expect(state.versions.map((version) => version.number)).toEqual(state.versions.map((_, index) => index + 1));
  expect(new Set(state.versions.map((version) => version.id)).size).toBe(state.versions.length);
  expect(state.versions.map((version) => version.secrets)).toEqual(ref.versions.map((version) => version.secrets));
  expect(state.appliedMigrationTag).toBe(ref.applied);
  expect(state.migrationBarrierNumber).toBe(ref.barrier);
  const numberOf = new Map(state.versions.map((version) => [version.id, version.number]));
  expect(state.deployments.map((deployment) => ({ source: deployment.source, entries: deployment.entries.map((entry) => ({ number: numberOf.get(entry.versionId), percentage: entry.percentage })) }))).toEqual(ref.deployments);
  const active = state.deployments[state.deployments.length - 1];
  if (active !== undefined) {
    expect(active.entries.length).toBeGreaterThanOrEqual(1);
    expect(active.entries.length).toBeLessThanOrEqual(2);
    const sum = active.entries.reduce((total, entry) => total + entry.percentage, 0);
    expect(Math.abs(sum - 100)).toBeLessThanOrEqual(0.001 + 1e-9);
  }
}

abstract class Step implements fc.Command<Reference, Real> {
  check(): boolean {
    return true;
  }
  run(ref: Reference, real: Real): void {
    this.apply(ref, real);
    checkInvariants(ref, real.state);
  }
  abstract apply(ref: Reference, real: Real): void;
  abstract toString(): string;
}

class Upload extends Step {
  constructor(readonly migrationTag: string | undefined, readonly secret: [string, string] | undefined) {
    super();
  }
  apply(ref: Reference, real: Real): void {
    const predicted: Outcome = this.migrationTag !== undefined && this.migrationTag !== ref.applied ? { ok: false, code: "10211" } : { ok: true };
    const input = { ...(this.migrationTag && { migrationTag: this.migrationTag }), ...(this.secret && { secrets: { [this.secret[0]]: this.secret[1] } }) };
    settle(real, uploadVersion(real.state, input, real.ctx, LIMITS), predicted, () => {
      ref.versions.push({ secrets: { ...ref.versions.at(-1)?.secrets, ...input.secrets } });
    });
  }
  toString(): string {
    return `upload(${JSON.stringify(this.migrationTag ?? null)}, ${JSON.stringify(this.secret ?? null)})`;
  }
}

class FullDeploy extends Step {
  constructor(readonly migrationTag: string | undefined) {
    super();
  }
  apply(ref: Reference, real: Real): void {
    settle(real, fullDeploy(real.state, this.migrationTag ? { migrationTag: this.migrationTag } : {}, real.ctx, {}, LIMITS), { ok: true }, () => {
      ref.versions.push({ secrets: { ...ref.versions.at(-1)?.secrets } });
      const number = ref.versions.length;
      if (this.migrationTag !== undefined && this.migrationTag !== ref.applied) {
        ref.applied = this.migrationTag;
        ref.barrier = number;
      }
      ref.deployments.push({ entries: [{ number, percentage: 100 }], source: "deploy" });
    });
  }
  toString(): string {
    return `fullDeploy(${JSON.stringify(this.migrationTag ?? null)})`;
  }
}

class VersionsDeploy extends Step {
  /** `picks` index versions from the newest backwards (0 = newest); slack moves the second share. */
  constructor(readonly picks: number[], readonly firstThousandths: number, readonly slack: number) {
    super();
  }
  apply(ref: Reference, real: Real): void {
    const count = ref.versions.length;
    const numbers = this.picks.map((pick) => (count === 0 ? 1 : count - (pick % count)));
    const shares =
      numbers.length === 1 ? [100] : [this.firstThousandths / 1000, ...numbers.slice(1).map(() => (100_000 - this.firstThousandths + this.slack) / 1000)];
    const items = numbers.map((number, index) => ({ ref: real.state.versions[number - 1]?.id ?? "missing", percentage: shares[index]! }));
    settle(real, deployVersions(real.state, items, real.ctx, {}, LIMITS), this.predict(ref, numbers, shares), () => {
      ref.deployments.push({ entries: numbers.map((number, index) => ({ number, percentage: shares[index]! })), source: "versions-deploy" });
    });
  }
  predict(ref: Reference, numbers: number[], shares: number[]): Outcome {
    if (ref.deployments.length === 0) return { ok: false, code: "not-deployed-yet" };
    if (numbers.length > 2) return { ok: false, code: "too-many-versions" };
    const seen = new Set<number>();
    for (const [index, number] of numbers.entries()) {
      if (shares[index]! < 0 || shares[index]! > 100) return { ok: false, code: "invalid-percentage" };
      const refused = notDeployable(ref, number);
      if (refused !== undefined) return { ok: false, code: refused };
      if (seen.has(number)) return { ok: false, code: "duplicate-version" };
      seen.add(number);
    }
    const sumThousandths = Math.round(shares.reduce((total, share) => total + share, 0) * 1000);
    return Math.abs(sumThousandths - 100_000) > 1 ? { ok: false, code: "percentage-sum" } : { ok: true };
  }
  toString(): string {
    return `versionsDeploy(${JSON.stringify(this.picks)}, ${this.firstThousandths}, ${this.slack})`;
  }
}

class Rollback extends Step {
  constructor(readonly pick: number | undefined, readonly force: boolean) {
    super();
  }
  apply(ref: Reference, real: Real): void {
    const count = ref.versions.length;
    const target = this.pick === undefined || count === 0 ? undefined : count - (this.pick % count);
    const options = { ...(target !== undefined && { to: real.state.versions[target - 1]!.id }), force: this.force };
    const [predicted, number] = this.predict(ref, target);
    settle(real, rollback(real.state, options, real.ctx, LIMITS), predicted, () => {
      ref.deployments.push({ entries: [{ number: number!, percentage: 100 }], source: "rollback" });
    });
  }
  predict(ref: Reference, target: number | undefined): [Outcome, number?] {
    if (ref.deployments.length === 0) return [{ ok: false, code: "not-deployed-yet" }];
    let number = target;
    if (number === undefined) {
      const earlier = ref.deployments.slice(0, -1).reverse().find((deployment) => deployment.entries.some((entry) => entry.percentage === 100));
      if (earlier === undefined) return [{ ok: false, code: "no-rollback-target" }];
      number = earlier.entries.find((entry) => entry.percentage === 100)!.number;
    }
    const refused = notDeployable(ref, number);
    if (refused !== undefined) return [{ ok: false, code: refused }];
    // The target's secrets against those of every version the active deployment sends traffic to.
    const sorted = (secrets: Record<string, string>): string => JSON.stringify(Object.entries(secrets).sort());
    const wanted = sorted(ref.versions[number - 1]!.secrets);
    const deployed = ref.deployments[ref.deployments.length - 1]!.entries.filter((entry) => entry.percentage > 0);
    const differ = deployed.some((entry) => sorted(ref.versions[entry.number - 1]!.secrets) !== wanted);
    return differ && !this.force ? [{ ok: false, code: "10220" }] : [{ ok: true }, number];
  }
  toString(): string {
    return `rollback(${this.pick ?? "default"}, force=${this.force})`;
  }
}

class SecretPut extends Step {
  constructor(readonly versioned: boolean, readonly name: string, readonly value: string) {
    super();
  }
  apply(ref: Reference, real: Real): void {
    const newest = ref.versions.length;
    const active = ref.deployments[ref.deployments.length - 1];
    const serving = active?.entries.filter((entry) => entry.percentage > 0) ?? [];
    const predicted: Outcome = this.versioned
      ? newest === 0
        ? { ok: false, code: "not-deployed-yet" }
        : { ok: true }
      : serving.length === 1 && serving[0]!.number === newest && newest > 0
        ? { ok: true }
        : { ok: false, code: "10215" };
    const result = this.versioned ? putVersionSecret(real.state, this.name, this.value, real.ctx, {}, LIMITS) : putSecret(real.state, this.name, this.value, real.ctx, LIMITS);
    settle(real, result, predicted, () => {
      const base = ref.versions[newest - 1]!;
      ref.versions.push({ secrets: { ...base.secrets, [this.name]: this.value } });
      if (!this.versioned) ref.deployments.push({ entries: [{ number: newest + 1, percentage: 100 }], source: "secret" });
    });
    if (result.ok) expect(result.value.version.triggeredBy).toBe("secret");
  }
  toString(): string {
    return `${this.versioned ? "versionsSecretPut" : "secretPut"}(${this.name}=${this.value})`;
  }
}

const migration = fc.constantFrom(undefined, undefined, "m1", "m2");
const secret = fc.tuple(fc.constantFrom("KEY", "TOKEN"), fc.constantFrom("1", "2"));
const commands = [
  fc.tuple(migration, fc.option(secret, { nil: undefined })).map(([tag, value]) => new Upload(tag, value)),
  migration.map((tag) => new FullDeploy(tag)),
  fc
    .tuple(
      fc.array(fc.nat(6), { minLength: 1, maxLength: 3 }),
      fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(0, 100_000)),
      fc.constantFrom(-2, -1, 0, 0, 1, 2),
    )
    .map(([picks, first, slack]) => new VersionsDeploy(picks, first, slack)),
  fc.tuple(fc.option(fc.nat(6), { nil: undefined }), fc.boolean()).map(([pick, force]) => new Rollback(pick, force)),
  fc.tuple(fc.boolean(), secret).map(([versioned, [name, value]]) => new SecretPut(versioned, name, value)),
];

describe("property: the Worker lifecycle against a reference model", () => {
  it("predicts every outcome, keeps the invariants and leaves refused states untouched", () => {
    predictedOutcomes.clear();
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 30, size: "max" }), (cmds) => {
        const setup = () => {
          const model: Reference = { versions: [], deployments: [] };
          const real: Real = { state: deepFreeze(emptyWorker("w")), ctx: testContext("id") };
          return { model, real };
        };
        fc.modelRun(setup, cmds);
      }),
      { numRuns: 250 },
    );
    // A generator change must not quietly stop exercising the rules (each is seen ~50+ times).
    const exercised = ["ok", "10211", "10215", "10220", "not-deployed-yet", "too-many-versions", "duplicate-version", "version-outside-window", "version-before-migration"];
    expect(exercised.filter((outcome) => !predictedOutcomes.has(outcome))).toEqual([]);
  });
});
