/**
 * What the guarantee checkers look at: a rollout seen from outside, independent of how it was
 * produced (a plan's columns, a host's ledger). Versions are plain strings (labels or ids).
 */

/** One entry of a step, by version label or id. */
export interface ViewEntry {
  readonly version: string;
  readonly percentage: number;
}

/** A rollout: the steps in order, and each known object's assigned version per step. */
export interface RolloutView {
  readonly steps: readonly (readonly ViewEntry[])[];
  readonly objectCount: number;
  /** The version assigned to `object` by step `step`, or undefined if it was not known yet. */
  versionAt(object: number, step: number): string | undefined;
  /** A name to report the object by. */
  objectName(object: number): string;
  /** A name to report deployment `step` by (a scenario names the step that made it); default "deployment N". */
  deploymentName?(step: number): string;
}

/** A change of the version running an object, at a step. */
export interface ViewReset {
  readonly object: number;
  readonly step: number;
  readonly from: string;
  readonly to: string;
}

/** A request served by an object, at a step. */
export interface ViewObservation {
  readonly object: number;
  readonly step: number;
  readonly version: string;
}

/** The outcome of one guarantee check. */
export interface GuaranteeResult {
  readonly name: GuaranteeName;
  /** The docs' wording of the guarantee. */
  readonly statement: string;
  /** False when the rollout never met the guarantee's precondition. */
  readonly applicable: boolean;
  readonly holds: boolean;
  /** How many (object, step) pairs were checked. */
  readonly checked: number;
  readonly violationCount: number;
  /** The first few violations, each a sentence naming the object and step. */
  readonly violations: readonly string[];
}

/** The docs' guarantees, by stable name. */
export type GuaranteeName =
  | "same-version-within-deployment"
  | "rising-version-keeps-objects"
  | "reset-only-on-version-change"
  | "one-reset-per-progression";

/** How many violations a result lists in full. */
export const MAX_LISTED_VIOLATIONS = 10;

/** Collects violations, keeping only the first few sentences. */
export class ViolationLog {
  count = 0;
  readonly listed: string[] = [];

  add(sentence: () => string): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_VIOLATIONS) this.listed.push(sentence());
  }
}
