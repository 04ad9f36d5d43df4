import { describe, expect, it } from "vitest";
import { DEFAULT_CODE_UPDATE, defaultCodeUpdate, IMMEDIATE, resolveCodeUpdate } from "../../src/model/code-update.js";
import { withLimits } from "../../src/model/limits.js";
import { refusal, unwrap } from "../helpers/model-fixtures.js";

describe("resolveCodeUpdate", () => {
  it("defaults to deferred with a 300 s delay, as the platform does", () => {
    expect(DEFAULT_CODE_UPDATE).toEqual({ mode: "deferred", maxDelayMs: 300_000 });
    expect(Object.isFrozen(DEFAULT_CODE_UPDATE)).toBe(true);
    expect(unwrap(resolveCodeUpdate(undefined))).toBe(DEFAULT_CODE_UPDATE);
    expect(unwrap(resolveCodeUpdate({}))).toBe(DEFAULT_CODE_UPDATE);
    expect(defaultCodeUpdate()).toBe(DEFAULT_CODE_UPDATE);
  });

  it("keeps immediate when it is asked for explicitly", () => {
    expect(unwrap(resolveCodeUpdate({ mode: "immediate" }))).toBe(IMMEDIATE);
    expect(IMMEDIATE).toEqual({ mode: "immediate" });
    expect(Object.isFrozen(IMMEDIATE)).toBe(true);
  });

  it("reads a delay without a mode as the default mode, deferred", () => {
    expect(unwrap(resolveCodeUpdate({ maxDelayMs: 5000 }))).toEqual({ mode: "deferred", maxDelayMs: 5000 });
  });

  it("gives deferred a 300 s default delay and accepts 0 to 86400 s", () => {
    expect(unwrap(resolveCodeUpdate({ mode: "deferred" }))).toEqual({ mode: "deferred", maxDelayMs: 300_000 });
    expect(unwrap(resolveCodeUpdate({ mode: "deferred", maxDelayMs: 0 }))).toEqual({ mode: "deferred", maxDelayMs: 0 });
    expect(unwrap(resolveCodeUpdate({ mode: "deferred", maxDelayMs: 86_400_000 }))).toEqual({ mode: "deferred", maxDelayMs: 86_400_000 });
  });

  it("refuses a delay out of range or not finite", () => {
    for (const maxDelayMs of [-1, 86_400_001, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = refusal(resolveCodeUpdate({ mode: "deferred", maxDelayMs }), "invalid-code-update");
      expect(error.details).toEqual({ maxDelayMs });
    }
  });

  it("refuses a delay with immediate and an unknown mode", () => {
    refusal(resolveCodeUpdate({ mode: "immediate", maxDelayMs: 5 }), "invalid-code-update");
    refusal(resolveCodeUpdate({ maxDelayMs: -5 }), "invalid-code-update");
    expect(refusal(resolveCodeUpdate({ mode: "lazy" }), "invalid-code-update").details).toEqual({ mode: "lazy" });
  });

  it("follows custom limits", () => {
    const limits = withLimits({ defaultDeferredDelayMs: 10, maxDeferredDelayMs: 20 });
    expect(unwrap(resolveCodeUpdate({ mode: "deferred" }, limits))).toEqual({ mode: "deferred", maxDelayMs: 10 });
    expect(unwrap(resolveCodeUpdate(undefined, limits))).toEqual({ mode: "deferred", maxDelayMs: 10 });
    expect(defaultCodeUpdate(limits)).toEqual({ mode: "deferred", maxDelayMs: 10 });
    refusal(resolveCodeUpdate({ mode: "deferred", maxDelayMs: 21 }, limits), "invalid-code-update");
  });
});
