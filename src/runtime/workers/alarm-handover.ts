/**
 * Alarms follow their object (src/model/alarms.ts). workerd keeps an alarm on the namespace of the
 * version that set it, so once the object has moved, the alarm wakes an instance of a version that
 * no longer runs it (a new one, or one still draining its work after a shutdown). That instance
 * hands the alarm to the control plane, which runs it on the version the object runs now.
 */
import { alarmRetryDelayMs } from "../../model/alarms.js";
import { RESET_REASON } from "./protocol.js";
import { callControl, type ControlRoute } from "./control-call.js";
import { unguarded } from "./instance-shutdown.js";

/** Whether the object has an alarm whose time has come (what woke a refused instance). */
export async function alarmIsDue(ctx: DurableObjectState): Promise<boolean> {
  const atMs = await ctx.storage.getAlarm();
  return atMs !== null && atMs <= Date.now();
}

/**
 * Hands a due alarm from a stale instance to the version that runs the object: the alarm is deleted
 * here first (so this version's scheduler never rings it again), then the control plane runs the
 * handler on the object's current version. If that handler fails, the alarm is set again after the
 * platform's retry delay, as a failed alarm is retried; either way this stale instance then ends.
 */
export async function handOverAlarm(stale: { ctx: DurableObjectState; route: ControlRoute; className: string; objectId: string }, alarmInfo: unknown): Promise<void> {
  const { ctx, route, className, objectId } = stale;
  // workerd's AlarmInvocationInfo is not serialisable: its fields are copied.
  const { retryCount = 0, isRetry = false } = (alarmInfo ?? {}) as { retryCount?: number; isRetry?: boolean };
  await unguarded(() => ctx.storage.deleteAlarm());
  try {
    await callControl(route, "runAlarm", { className, objectId, alarmInfo: { retryCount, isRetry } });
  } catch (error) {
    await unguarded(() => ctx.storage.setAlarm(Date.now() + alarmRetryDelayMs(retryCount)));
    throw error;
  } finally {
    // After this invocation is over: the instance must not linger as the object's instance.
    setTimeout(() => ctx.abort(RESET_REASON), 0);
  }
}
