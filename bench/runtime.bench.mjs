// Runtime benchmark: the same request mix through dosim and through plain Miniflare running the
// example Worker as one worker with a direct Durable Object binding, in the same run; then the
// in-workerd bulk traffic rate against Node's dispatchFetch rate. Run after `npm run build`:
//   node bench/runtime.bench.mjs
// It ends with `name: value` lines.
import { Miniflare } from "miniflare";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { build } from "esbuild";
import { Simulator } from "../dist/runtime/index.js";
import { createRandom } from "../dist/model/random.js";

const CONFIG = "wrangler.toml";
const NAMES = Array.from({ length: 1000 }, (_, i) => `object-${i}`);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** The request mix: half `/`, half `/objects/<name>` over 1,000 names, from a fixed seed. */
function requestMix(count) {
  const random = createRandom("bench-mix");
  return Array.from({ length: count }, () =>
    random() < 0.5 ? "/" : `/objects/${NAMES[Math.floor(random() * NAMES.length)]}`,
  );
}

/** Sends the paths with `CONCURRENCY` in flight; returns elapsed ms. */
async function drive(send, paths) {
  let next = 0;
  const start = performance.now();
  const lane = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const response = await send(path);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return performance.now() - start;
}

let plainStorage;

async function plainMiniflare() {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(CONFIG);
  const bundled = await build({
    entryPoints: ["src/example/worker.ts"],
    bundle: true,
    format: "esm",
    platform: "browser",
    external: ["cloudflare:*", "node:*"],
    write: false,
  });
  const { versionMetadata, ...rest } = workerOptions;
  // Storage where dosim keeps a run's scratch storage (memory when the system has /dev/shm), for a fair comparison.
  plainStorage = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), "dosim-bench-plain-"));
  const mf = new Miniflare({
    cf: false,
    durableObjectsPersist: plainStorage,
    workers: [
      {
        ...rest,
        name: "hello",
        modules: [{ type: "ESModule", path: "worker.mjs", contents: bundled.outputFiles[0].text }],
        bindings: { ...rest.bindings, CF_VERSION_METADATA: { id: "plain", tag: "plain", timestamp: new Date(0).toISOString() } },
      },
    ],
  });
  await mf.ready;
  return mf;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const paths = requestMix(REQUESTS);
const plain = await plainMiniflare();
const sim = await Simulator.start({ config: CONFIG, seed: "bench", versions: [{ label: "A", tag: "a" }, { label: "B", tag: "b" }] });
const deployed = await sim.deploy(process.env.BENCH_SPEC ?? "B@50,A@50");
if (!deployed.ok) throw new Error(deployed.error.message);

// Warm both (isolates, SQLite files), then alternate rounds so neither gets the quieter moments.
await drive((path) => plain.dispatchFetch(`http://localhost${path}`), paths.slice(0, 300));
await drive((path) => sim.fetch(path), paths.slice(0, 300));
const plainTimes = [];
const dosimTimes = [];
for (let round = 0; round < ROUNDS; round++) {
  plainTimes.push(await drive((path) => plain.dispatchFetch(`http://localhost${path}`), paths));
  dosimTimes.push(await drive((path) => sim.fetch(path), paths));
}
const plainMs = median(plainTimes);
const dosimMs = median(dosimTimes);
const dispatchRate = (REQUESTS / dosimMs) * 1000;

// Bulk: the same mix generated inside workerd.
const bulkRequests = REQUESTS * 10;
const bulkStart = performance.now();
const bulk = await sim.bulk({ requests: bulkRequests, concurrency: 32, objectNames: NAMES, objectShare: 0.5, seed: "bench-bulk" });
const bulkMs = performance.now() - bulkStart;
const bulkRate = (bulkRequests / bulkMs) * 1000;
if ((bulk.byStatus["200"] ?? 0) !== bulkRequests) throw new Error(`bulk traffic failed: ${JSON.stringify(bulk.byStatus)}`);

await sim.close();
await plain.dispose();
rmSync(plainStorage, { recursive: true, force: true });

console.log(`runtime.plain_miniflare_ms: ${plainMs.toFixed(0)}`);
console.log(`runtime.dosim_ms: ${dosimMs.toFixed(0)}`);
console.log(`runtime.requests: ${REQUESTS}`);
console.log(`runtime.dispatchfetch_rps: ${dispatchRate.toFixed(0)}`);
console.log(`runtime.bulk_rps: ${bulkRate.toFixed(0)}`);
console.log(`runtime.ratio_vs_plain_miniflare: ${(dosimMs / plainMs).toFixed(2)}`);
console.log(`runtime.bulk_vs_dispatchfetch: ${(bulkRate / dispatchRate).toFixed(1)}`);
