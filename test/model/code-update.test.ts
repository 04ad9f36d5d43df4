import { describe, expect, it } from "vitest";
import { DEFAULT_CODE_UPDATE, defaultCodeUpdate, IMMEDIATE, resolveCodeUpdate } from "../../src/model/code-update.js";
import { codeUpdateFromStrategy, parseCodeUpdateMode, parseDurationSeconds, pickCodeUpdate, strategyOf } from "../../src/model/code-update-strategy.js";
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

// wrangler 4.141+, packages/wrangler/src/deployment-bundle/durable-objects-code-update.ts: the flag
// `--durable-objects-code-update-mode immediate | deferred <duration>`, its duration forms, bounds
// (0 to 24 hours, millisecond precision) and error wording.
describe("parseCodeUpdateMode, the wrangler flag", () => {
  it("reads immediate, and deferred with wrangler's duration forms", () => {
    expect(unwrap(parseCodeUpdateMode("immediate"))).toEqual({ mode: "immediate" });
    const delay = (value: string): number | undefined => unwrap(parseCodeUpdateMode(value)).maxDelayMs;
    expect(delay("deferred 30s")).toBe(30_000);
    expect(delay("deferred 5m")).toBe(300_000);
    expect(delay("deferred 1h")).toBe(3_600_000);
    expect(delay("deferred 45")).toBe(45_000);
    expect(delay("deferred 1.5")).toBe(1_500);
    expect(delay("deferred 250ms")).toBe(250);
    expect(delay("deferred 0")).toBe(0);
    expect(delay("deferred 24h")).toBe(86_400_000);
    expect(delay("deferred 1d")).toBe(86_400_000);
    expect(delay("  deferred   2minutes ")).toBe(120_000);
  });

  it("refuses anything else with wrangler's two messages", () => {
    const modeMessage = 'The argument "--durable-objects-code-update-mode" must be either "immediate" or "deferred <duration>".';
    for (const value of ["", "deferred", "lazy", "immediate 5s", "deferred 5s extra", "deferred 5 parsecs"]) {
      expect(refusal(parseCodeUpdateMode(value), "invalid-code-update").message).toBe(modeMessage);
    }
    const delayMessage = 'The duration passed to "--durable-objects-code-update-mode deferred" must be between 0 seconds and 24 hours and use millisecond precision.';
    for (const value of ["deferred 24h1ms", "deferred 86400.001", "deferred -1s", "deferred 0.0001", "deferred s", "deferred 5parsecs", "deferred 2w", "deferred abc"]) {
      expect(refusal(parseCodeUpdateMode(value), "invalid-code-update").message).toBe(delayMessage);
    }
  });

  it("parses durations in seconds, NaN when unreadable", () => {
    expect(parseDurationSeconds("90")).toBe(90);
    expect(parseDurationSeconds("1.5h")).toBe(5400);
    expect(parseDurationSeconds("10 sec")).toBe(10);
    expect(parseDurationSeconds("5x")).toBeNaN();
    expect(parseDurationSeconds("")).toBeNaN();
  });
});

// Docs "Durable Objects code updates": `code_update_strategy { mode, max_delay }` in the wrangler
// config and the deployments API, max_delay in seconds; wrangler resolves flag, then config, then default.
describe("code_update_strategy", () => {
  it("reads the config/API object into a request, max_delay in seconds", () => {
    expect(unwrap(codeUpdateFromStrategy(undefined))).toBeUndefined();
    expect(unwrap(codeUpdateFromStrategy({ mode: "deferred", max_delay: 60 }))).toEqual({ mode: "deferred", maxDelayMs: 60_000 });
    expect(unwrap(codeUpdateFromStrategy({ mode: "deferred" }))).toEqual({ mode: "deferred" });
    expect(unwrap(codeUpdateFromStrategy({ mode: "immediate" }))).toEqual({ mode: "immediate" });
  });

  it("refuses a malformed object, and immediate with a delay once resolved", () => {
    refusal(codeUpdateFromStrategy("immediate"), "invalid-code-update");
    refusal(codeUpdateFromStrategy({ mode: "later" }), "invalid-code-update");
    refusal(codeUpdateFromStrategy({ mode: "deferred", max_delay: "60" }), "invalid-code-update");
    refusal(codeUpdateFromStrategy({ mode: "deferred", max_delay: 0.0001 }), "invalid-code-update");
    refusal(resolveCodeUpdate(unwrap(codeUpdateFromStrategy({ mode: "immediate", max_delay: 60 }))), "invalid-code-update");
    refusal(resolveCodeUpdate(unwrap(codeUpdateFromStrategy({ mode: "deferred", max_delay: 86_401 }))), "invalid-code-update");
  });

  it("answers the strategy as the API names it", () => {
    expect(strategyOf(IMMEDIATE)).toEqual({ mode: "immediate" });
    expect(strategyOf(DEFAULT_CODE_UPDATE)).toEqual({ mode: "deferred", max_delay: 300 });
    expect(strategyOf({ mode: "deferred", maxDelayMs: 1500 })).toEqual({ mode: "deferred", max_delay: 1.5 });
  });

  it("takes the flag over the config, and the config over the default", () => {
    expect(pickCodeUpdate({ mode: "immediate" }, { mode: "deferred", maxDelayMs: 5000 })).toEqual({ mode: "immediate" });
    expect(pickCodeUpdate(undefined, { mode: "deferred", maxDelayMs: 5000 })).toEqual({ mode: "deferred", maxDelayMs: 5000 });
    expect(resolveCodeUpdate(pickCodeUpdate(undefined, undefined))).toEqual({ ok: true, value: DEFAULT_CODE_UPDATE });
  });
});
