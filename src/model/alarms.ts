/**
 * Durable Object alarms (docs "Alarms", developers.cloudflare.com/durable-objects/api/alarms/): an
 * object has at most one alarm; it belongs to the object, so it runs on whatever version runs the
 * object when it fires. A handler that throws is retried with exponential backoff, from 2 s after
 * the first failure, up to 6 retries (workerd: alarm-scheduler.c++, 2 s shifted by the attempt).
 */

/** The delay before the first retry of a failed alarm. */
export const ALARM_RETRY_START_MS = 2_000;

/** How many times a failed alarm is retried. */
export const ALARM_MAX_RETRIES = 6;

/** The delay before retry number `retryCount + 1` of an alarm that failed `retryCount + 1` times. */
export function alarmRetryDelayMs(retryCount: number): number {
  const attempt = Math.max(0, Math.min(Math.floor(retryCount), ALARM_MAX_RETRIES - 1));
  return ALARM_RETRY_START_MS * 2 ** attempt;
}

/** The version an alarm runs on: the one running the object when it fires, whichever set it. */
export function alarmVersion(object: { readonly running: string }): string {
  return object.running;
}
