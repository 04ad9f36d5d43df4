/**
 * The compatibility date a Worker runs with when its config names none.
 *
 * `wrangler dev` (getDevCompatibilityDate in wrangler's ConfigController) falls back to today's
 * UTC date and warns "No compatibility_date was specified. Using today's date". workerd refuses a
 * date later than the newest one it supports, so the fallback is capped at that date.
 */

/** Today's date (UTC, `YYYY-MM-DD`), or `supportedDate` when today is later than it. */
export function defaultCompatibilityDate(now: Date, supportedDate: string): string {
  const today = now.toISOString().slice(0, 10);
  return today < supportedDate ? today : supportedDate;
}
