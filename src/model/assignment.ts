/**
 * The one rule that turns a point in [0, 1) into a version of a deployment. Objects, version keys
 * and random draws all become a *slot*: an integer in [0, SLOT_COUNT). A deployment becomes the
 * cumulative upper bounds of its entries, in listed order; a slot belongs to the first entry whose
 * bound it is below. One slot is 0.001%, dosim's resolution (the platform limits no decimals, see
 * ./percentage.ts): a percentage with more decimals routes as if rounded to 0.001%, and the
 * comparison is exact integer arithmetic.
 */
import type { Deployment, DeploymentEntry } from "./types.js";

/** Number of slots: 100% in steps of 0.001%. */
export const SLOT_COUNT = 100_000;

/** A percentage (0–100) as a whole number of slots, rounded to the nearest 0.001%. */
export function percentageToSlots(percentage: number): number {
  return Math.round(percentage * 1000);
}

/** Maps a fraction in [0, 1) to a slot. */
export function fractionToSlot(fraction: number): number {
  const slot = Math.floor(fraction * SLOT_COUNT);
  return slot >= SLOT_COUNT ? SLOT_COUNT - 1 : slot < 0 ? 0 : slot;
}

/**
 * Cumulative slot bounds for the entries, in listed order. The last bound is always SLOT_COUNT, so
 * the ±0.001 slack wrangler allows in the sum never leaves a slot without a version. The slack goes
 * to the last entry that owns slots, never to a trailing 0% entry: a 0% version gets no traffic.
 */
export function cumulativeBounds(entries: readonly Pick<DeploymentEntry, "percentage">[]): Int32Array {
  const bounds = new Int32Array(entries.length);
  let total = 0;
  let lastOwner = entries.length - 1;
  entries.forEach((entry, index) => {
    const slots = percentageToSlots(entry.percentage);
    total += slots;
    bounds[index] = Math.min(total, SLOT_COUNT);
    if (slots > 0) lastOwner = index;
  });
  if (entries.length > 0) bounds.fill(SLOT_COUNT, lastOwner);
  return bounds;
}

/** The index of the entry that owns `slot`, given bounds from {@link cumulativeBounds}. */
export function entryIndexForSlot(bounds: Int32Array, slot: number): number {
  for (let index = 0; index < bounds.length; index++) {
    if (slot < bounds[index]!) return index;
  }
  return bounds.length - 1;
}

/** The version of `deployment` that owns `slot`. */
export function versionForSlot(deployment: Pick<Deployment, "entries">, slot: number): string {
  const index = entryIndexForSlot(cumulativeBounds(deployment.entries), slot);
  const entry = deployment.entries[index];
  if (entry === undefined) throw new Error("a deployment always lists at least one version");
  return entry.versionId;
}
