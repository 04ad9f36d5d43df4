// Object name → slot throughput: dosim's batch path against node:crypto, 1,000,000 names.
// Run after a build: `npm run -s build && node bench/object-slots.bench.mjs`.
import { createHash, createHmac } from "node:crypto";
import { createObjectIdFactory } from "../dist/model/object-ids.js";
import { objectSlotsFromNames } from "../dist/model/object-slots.js";
import { report } from "./timing.mjs";

const COUNT = 1_000_000;
const UNIQUE_KEY = "dosim-example-Counter";
const names = Array.from({ length: COUNT }, (_, i) => `object-${i}`);
const key = createHash("sha256").update(UNIQUE_KEY).digest();

/** The slot rule on a Buffer digest (floating point is exact enough for a benchmark). */
const slotOf = (digest) => Math.floor((digest.readUIntBE(0, 6) * 100_000) / 2 ** 48);

const cases = {
  "dosim objectSlotsFromNames": () => objectSlotsFromNames(UNIQUE_KEY, names),
  "dosim idFromName (full hex id)": () => {
    const factory = createObjectIdFactory(UNIQUE_KEY);
    for (const name of names) factory.idFromName(name);
  },
  "node:crypto, 2 createHmac per name (full id)": () => {
    const slots = new Int32Array(COUNT);
    names.forEach((name, i) => {
      const first = createHmac("sha256", key).update(name).digest();
      createHmac("sha256", key).update(first.subarray(0, 16)).digest();
      slots[i] = slotOf(first);
    });
    return slots;
  },
  "node:crypto, 1 createHmac per name (slot only)": () => {
    const slots = new Int32Array(COUNT);
    names.forEach((name, i) => (slots[i] = slotOf(createHmac("sha256", key).update(name).digest())));
    return slots;
  },
};

const best = {};
for (const [label, run] of Object.entries(cases)) {
  let bestMs = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    run();
    bestMs = Math.min(bestMs, performance.now() - start);
  }
  best[label] = bestMs;
  const perSecond = (COUNT / bestMs) * 1000;
  console.log(`${label.padEnd(48)} ${bestMs.toFixed(0).padStart(6)} ms  ${(perSecond / 1e6).toFixed(2)} M names/s`);
}
report({
  "object_slots.names_per_s": Math.round((COUNT / best["dosim objectSlotsFromNames"]) * 1000),
  "object_slots.speedup_vs_node_crypto_full_id": best["node:crypto, 2 createHmac per name (full id)"] / best["dosim objectSlotsFromNames"],
  "object_ids.speedup_vs_node_crypto_full_id": best["node:crypto, 2 createHmac per name (full id)"] / best["dosim idFromName (full hex id)"],
});
