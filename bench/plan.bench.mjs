// The plan pipeline on 1,000,000 named objects through a 4-step rollout, against baselines run on
// the same names in the same process: (a) the naive path with node:crypto createHmac per name,
// (b) LaunchDarkly's published bucketing (SHA-1 of the key, first 15 hex digits) and (c) Unleash's
// (murmurhash3 of "group:key" mod 100). Ends with `name: value` lines for scripts.
import { createHash, createHmac } from "node:crypto";
import murmurhash3 from "murmurhash3js";
import { assignPlan, planRollout } from "../dist/model/plan.js";
import { buildPlanReport } from "../dist/model/plan-report.js";
import { objectSlotsFromNames } from "../dist/model/object-slots.js";
import { versionKeySlot } from "../dist/model/version-key.js";
import { cumulativeBounds, entryIndexForSlot, SLOT_COUNT } from "../dist/model/assignment.js";
import { median, report, timeRounds } from "./timing.mjs";

const COUNT = Number(process.env.BENCH_OBJECTS ?? 1_000_000);
const NAMESPACE = "hello-Counter";
const STEPS = ["A@100", "B@20,A@80", "B@50,A@50", "B@100"];
const names = Array.from({ length: COUNT }, (_, index) => `object-${index + 1}`);
const plan = planRollout(STEPS.map((spec) => ({ spec })));
if (!plan.ok) throw new Error(plan.error.message);
const boundsPerStep = plan.value.steps.map((step) => cumulativeBounds(step.entries));

/** dosim: name → slot (one HMAC, prepared key) → assignment per step → report. */
function dosimPipeline() {
  const slots = objectSlotsFromNames(NAMESPACE, names);
  const assignments = assignPlan(plan.value, slots);
  return buildPlanReport(plan.value, slots, assignments, { namespace: NAMESPACE, includeObjects: false }).totals.resets;
}

/** (a) The naive path: the full workerd id with createHmac per name, then the same assignment. */
function naivePipeline() {
  const key = createHash("sha256").update(NAMESPACE).digest();
  let moved = 0;
  const previous = new Uint8Array(COUNT);
  for (let object = 0; object < COUNT; object++) {
    const first = createHmac("sha256", key).update(names[object]).digest().subarray(0, 16);
    const second = createHmac("sha256", key).update(first).digest().subarray(0, 16);
    const id = first.toString("hex") + second.toString("hex");
    const slot = Math.floor((parseInt(id.slice(0, 12), 16) / 2 ** 48) * SLOT_COUNT);
    boundsPerStep.forEach((bounds, step) => {
      const index = entryIndexForSlot(bounds, slot);
      if (step > 0 && index !== previous[object]) moved++;
      previous[object] = index;
    });
  }
  return moved;
}

/** (b) LaunchDarkly: bucket = int(sha1(flag.salt.key)[0..15], 16) / 0xFFFFFFFFFFFFFFF. */
function launchDarklyBuckets() {
  let sum = 0;
  for (let object = 0; object < COUNT; object++) {
    const hex = createHash("sha1").update(`flag.salt.${names[object]}`).digest("hex").slice(0, 15);
    sum += parseInt(hex, 16) / 0xfffffffffffffff;
  }
  return sum;
}

/** (c) Unleash: murmurhash3 x86 32-bit of "group:key", mod 100, plus one. */
function unleashBuckets() {
  let sum = 0;
  for (let object = 0; object < COUNT; object++) sum += (murmurhash3.x86.hash32(`default:${names[object]}`) % 100) + 1;
  return sum;
}

/** dosim's version-key bucketing on the same keys. */
function versionKeyBuckets() {
  let sum = 0;
  for (let object = 0; object < COUNT; object++) sum += versionKeySlot(names[object]);
  return sum;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const times = timeRounds(rounds, { dosimPipeline, naivePipeline, launchDarklyBuckets, unleashBuckets, versionKeyBuckets });
const seconds = Object.fromEntries(Object.entries(times).map(([name, samples]) => [name, median(samples) / 1000]));
console.log(`plan bench: ${COUNT.toLocaleString("en-US")} objects, ${STEPS.join(" → ")}, median of ${rounds} rounds`);
for (const [name, value] of Object.entries(seconds)) console.log(`  ${name.padEnd(22)} ${value.toFixed(3)} s`);
report({
  "plan.objects_per_s": Math.round(COUNT / seconds.dosimPipeline),
  "plan.speedup_vs_node_crypto": seconds.naivePipeline / seconds.dosimPipeline,
  "plan.speedup_vs_launchdarkly_bucketing": seconds.launchDarklyBuckets / seconds.dosimPipeline,
  "version_key.speedup_vs_unleash": seconds.unleashBuckets / seconds.versionKeyBuckets,
});
