/**
 * Alarm rules, from Cloudflare's docs "Alarms" (developers.cloudflare.com/durable-objects/api/alarms/):
 * "Retries are performed using exponential backoff starting at a 2 second delay from the first
 * failure with up to 6 retries allowed", and DESIGN's "Alarms belong to the object and run on
 * whatever version it runs" (docs "Gradual deployments", Durable Objects).
 */
import { describe, expect, it } from "vitest";
import { ALARM_MAX_RETRIES, alarmRetryDelayMs, alarmVersion } from "../../src/model/alarms.js";

describe("alarm retries", () => {
  it("back off exponentially from 2 s, for at most 6 retries", () => {
    expect(ALARM_MAX_RETRIES).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map(alarmRetryDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000]);
  });

  it("never go below the first delay nor past the last retry's", () => {
    expect(alarmRetryDelayMs(-1)).toBe(2_000);
    expect(alarmRetryDelayMs(40)).toBe(64_000);
  });
});

describe("the version an alarm runs on", () => {
  it("is the one running the object, not the one that set the alarm", () => {
    expect(alarmVersion({ running: "b" })).toBe("b");
  });
});
