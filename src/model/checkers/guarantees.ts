/**
 * Checkers for the three guarantees Cloudflare documents for Durable Objects under gradual
 * deployments. They live apart from the code they check and look only at a {@link RolloutView}.
 */
import {
  ViolationLog,
  type GuaranteeName,
  type GuaranteeResult,
  type RolloutView,
  type ViewEntry,
  type ViewObservation,
  type ViewReset,
} from "./rollout-view.js";

function result(name: GuaranteeName, statement: string, applicable: boolean, checked: number, log: ViolationLog): GuaranteeResult {
  return { name, statement, applicable, holds: log.count === 0, checked, violationCount: log.count, violations: log.listed };
}

/**
 * (a) Within a deployment an object always uses the same version — as the platform means it with
 * deferred code updates (docs "Durable Objects code updates"): the *assigned* version is fixed for
 * the deployment, and the version that *runs* may lag behind it, on the version the object already
 * ran, until the update lands; it never runs anything else and never goes back. Each wrong
 * (object, deployment, version) is reported once, however many requests saw it.
 */
export function checkSameVersionWithinDeployment(view: RolloutView, observations: readonly ViewObservation[]): GuaranteeResult {
  const log = new ViolationLog();
  const lastRan = new Map<number, string>();
  const reported = new Set<string>();
  for (const seen of observations) {
    const assigned = view.versionAt(seen.object, seen.step);
    const before = lastRan.get(seen.object);
    const lagging = before === undefined ? ranEarlier(view, seen.object, seen.step, seen.version) : before === seen.version;
    lastRan.set(seen.object, seen.version);
    if (seen.version === assigned || lagging) continue;
    const key = `${seen.object}:${seen.step}:${seen.version}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const where = deploymentName(view, seen.step);
    const why = before !== undefined && before === assigned ? `after it had switched to ${assigned}` : `while assigned ${assigned ?? "nothing"}${before !== undefined ? ` and running ${before}` : ""}`;
    log.add(() => `${view.objectName(seen.object)} ran ${seen.version} ${why} during ${where}`);
  }
  return result(
    "same-version-within-deployment",
    "Within a deployment, each object is assigned one version; it runs that version, or the one it already ran until its deferred update lands, and never another.",
    observations.length > 0,
    observations.length,
    log,
  );
}

/** True when `version` was assigned to the object by an earlier deployment (the only code it can lag on). */
function ranEarlier(view: RolloutView, object: number, step: number, version: string): boolean {
  for (let earlier = step - 1; earlier >= 0; earlier--) if (view.versionAt(object, earlier) === version) return true;
  return false;
}

/** How reports name deployment `step` (0-based): the view's own name for it, else "deployment N". */
export function deploymentName(view: RolloutView, step: number): string {
  return view.deploymentName?.(step) ?? `deployment ${step + 1}`;
}

/** The slot range a version covers in a step, as percentages [start, end). */
function rangeOf(entries: readonly ViewEntry[], version: string): [number, number] | undefined {
  let start = 0;
  for (const entry of entries) {
    if (entry.version === version) return [start, start + entry.percentage];
    start += entry.percentage;
  }
  return undefined;
}

/**
 * True when `version` rises from `before` to `after` while keeping its place in the list: first in
 * both, last in both, or the same versions in the same order with nothing growing ahead of it.
 */
export function risesInPlace(before: readonly ViewEntry[], after: readonly ViewEntry[], version: string): boolean {
  const was = before.findIndex((entry) => entry.version === version);
  const is = after.findIndex((entry) => entry.version === version);
  if (was === -1 || is === -1 || after[is]!.percentage <= before[was]!.percentage) return false;
  if (was === 0 && is === 0) return true;
  if (was === before.length - 1 && is === after.length - 1) return true;
  const sameList = before.length === after.length && before.every((entry, index) => entry.version === after[index]!.version);
  return sameList && rangeOf(after, version)![0] <= rangeOf(before, version)![0];
}

/** (b) Listed in the same order, a version whose percentage rises keeps every object it had. */
export function checkRisingVersionKeepsObjects(view: RolloutView): GuaranteeResult {
  const log = new ViolationLog();
  let checked = 0;
  for (let step = 1; step < view.steps.length; step++) {
    const before = view.steps[step - 1]!;
    const after = view.steps[step]!;
    for (const { version } of after.filter((entry) => risesInPlace(before, after, entry.version))) {
      for (let object = 0; object < view.objectCount; object++) {
        if (view.versionAt(object, step - 1) !== version) continue;
        checked++;
        const now = view.versionAt(object, step);
        if (now !== version) log.add(() => `${view.objectName(object)} left ${version} for ${now} at ${deploymentName(view, step)} although ${version} rose`);
      }
    }
  }
  return result(
    "rising-version-keeps-objects",
    "If versions are listed in the same order and one version's percentage rises, objects already on it are not moved.",
    checked > 0,
    checked,
    log,
  );
}

/** (c, first half) An object is reset only when its assigned version changes. */
export function checkResetOnlyOnVersionChange(view: RolloutView, resets: readonly ViewReset[]): GuaranteeResult {
  const log = new ViolationLog();
  for (const reset of resets) {
    const assigned = view.versionAt(reset.object, reset.step);
    if (reset.from === reset.to || assigned !== reset.to) {
      log.add(() => `${view.objectName(reset.object)} was reset from ${reset.from} to ${reset.to} at ${deploymentName(view, reset.step)} while assigned ${assigned}`);
    }
  }
  return result("reset-only-on-version-change", "An object is reset only when its assigned version changes.", resets.length > 0, resets.length, log);
}

/**
 * True when the steps form a plain progression from one version to another: two versions at most,
 * the new one's share never falls, and no step lists them in another order than the one before.
 */
export function isMonotoneProgression(steps: readonly (readonly ViewEntry[])[]): boolean {
  const versions = [...new Set(steps.flat().map((entry) => entry.version))];
  if (versions.length !== 2 || steps.length < 2) return false;
  const target = versions[1]!;
  const share = (entries: readonly ViewEntry[]): number => entries.find((entry) => entry.version === target)?.percentage ?? 0;
  return steps.every((entries, step) => {
    if (step === 0) return true;
    const before = steps[step - 1]!;
    const order = (list: readonly ViewEntry[]) => list.map((entry) => entry.version).join(",");
    const sameOrder = entries.length !== 2 || before.length !== 2 || order(entries) === order(before);
    return share(entries) >= share(before) && sameOrder;
  });
}

/**
 * (c, second half) In a plain A→B progression each object is reset at most once. `resetsOf`
 * gives an object's number of resets over the whole rollout.
 */
export function checkOneResetPerProgression(view: RolloutView, resetsOf: (object: number) => number): GuaranteeResult {
  const log = new ViolationLog();
  const applicable = isMonotoneProgression(view.steps);
  if (applicable) {
    for (let object = 0; object < view.objectCount; object++) {
      const count = resetsOf(object);
      if (count > 1) log.add(() => `${view.objectName(object)} was reset ${count} times in a plain progression`);
    }
  }
  return result("one-reset-per-progression", "In a plain A→B progression, each object is reset at most once.", applicable, applicable ? view.objectCount : 0, log);
}

/** Counts resets per object from a list of resets, for {@link checkOneResetPerProgression}. */
export function resetCounter(resets: readonly ViewReset[]): (object: number) => number {
  const perObject = new Map<number, number>();
  for (const reset of resets) perObject.set(reset.object, (perObject.get(reset.object) ?? 0) + 1);
  return (object) => perObject.get(object) ?? 0;
}
