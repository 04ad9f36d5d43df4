/**
 * Miniflare serialises workerd's config into one Cap'n Proto buffer that it grows as it writes.
 * Upstream grows it by 4 KiB at a time and copies it whole each time, so a config of S bytes costs
 * about S²/4096; patches/ makes it grow geometrically (see the README's benchmarks). These tests
 * notice an install without that patch (a lock-file bump drops it silently otherwise) and check
 * that a config written across many growths still boots with every value intact.
 */
import { Miniflare, serializeConfig, type Config } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";

/** Upstream's growth step: a linear arena copies itself once per this many bytes written. */
const LINEAR_GROWTH_BYTES = 4096;
const BINDING_COUNT = 4000;

// The worker recomputes every value itself, so the check needs no megabyte-long response.
const VALUE_SOURCE = "(index) => `${index}:`.padEnd(300, String.fromCharCode(97 + (index % 26)))";
const valueOf = (index: number): string => `${index}:`.padEnd(300, String.fromCharCode(97 + (index % 26)));

const script = `
const valueOf = ${VALUE_SOURCE};
export default {
  fetch(request, env) {
    let intact = 0;
    for (let index = 0; index < ${BINDING_COUNT}; index++) if (env["B" + index] === valueOf(index)) intact++;
    return Response.json({ intact });
  },
};
`;

/** A config of many small parts: one worker with `BINDING_COUNT` text bindings of 300 bytes. */
function manyBindingsConfig(): Config {
  const bindings = Array.from({ length: BINDING_COUNT }, (_, index) => ({ name: `B${index}`, text: valueOf(index) }));
  const worker = { modules: [{ name: "worker.mjs", esModule: script }], compatibilityDate: "2025-01-01", bindings };
  return { services: [{ name: "many-bindings", worker }] };
}

/** Runs `body` while counting the ArrayBuffers constructed through the global constructor. */
function countArrayBuffers<T>(body: () => T): { result: T; count: number } {
  const original = globalThis.ArrayBuffer;
  let count = 0;
  globalThis.ArrayBuffer = new Proxy(original, {
    construct(target, args: [number]) {
      count++;
      return Reflect.construct(target, args);
    },
  });
  try {
    return { result: body(), count };
  } finally {
    globalThis.ArrayBuffer = original;
  }
}

describe("Miniflare's config serialisation", () => {
  let mf: Miniflare | undefined;
  afterAll(async () => {
    await mf?.dispose();
  });

  it("grows its buffer geometrically: a few copies for a megabyte of small parts", () => {
    const { result: bytes, count } = countArrayBuffers(() => serializeConfig(manyBindingsConfig()));
    // Large enough that linear growth would copy the buffer hundreds of times.
    expect(bytes.length / LINEAR_GROWTH_BYTES).toBeGreaterThan(250);
    // Doubling needs about log2(bytes / 4096) copies; the margin only keeps the count unambiguous.
    expect(count).toBeLessThan(40);
  });

  it("boots such a config with every value intact", async () => {
    const bindings = Object.fromEntries(Array.from({ length: BINDING_COUNT }, (_, index) => [`B${index}`, valueOf(index)]));
    mf = new Miniflare({ name: "many-bindings", modules: true, script, bindings, compatibilityDate: "2025-01-01" });
    const response = await mf.dispatchFetch("http://localhost/");
    expect(await response.json()).toEqual({ intact: BINDING_COUNT });
  });
});
