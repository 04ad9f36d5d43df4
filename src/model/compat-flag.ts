/**
 * workerd's compatibility flags (src/workerd/io/compatibility-date.capnp): each is on from its
 * enable date, or with its enable flag, and off with its disable flag whatever the date.
 */

/** A compatibility flag as workerd declares it. */
export interface CompatFlag {
  readonly enable: string;
  readonly disable: string;
  /** The date from which it is on by default; absent for a flag that is never on by date. */
  readonly date?: string;
}

/** True when a Worker with this date and these flags has `flag` on. */
export function isCompatFlagOn(flag: CompatFlag, compatibilityDate: string, compatibilityFlags: readonly string[]): boolean {
  if (compatibilityFlags.includes(flag.disable)) return false;
  return compatibilityFlags.includes(flag.enable) || (flag.date !== undefined && compatibilityDate >= flag.date);
}
