// Startup and scaling of `dosim replay`, each as a whole process, against baselines run in the
// same process of this bench (rounds interleaved, so the shared machine's noise falls on both):
// - replay.scenario_vs_plain_miniflare: `dosim replay scenarios/01-docs-progression.yaml` against
//   a plain Miniflare process that boots a Worker with a Durable Object, serves one request and
//   exits (bench/plain-miniflare-process.mjs). Target ≤ 2.
// - replay.versions_400_vs_100: a scenario that uploads 400 versions against the same with 100.
//   Linear growth gives 4; target ≤ 5.
// - replay.versions_1000_s: seconds to replay the same with 1000 uploads (the documented maximum;
//   target: minutes at most), and replay.versions_1000_vs_100 against 100 (linear growth gives 10).
// - replay.deployed_200_vs_50: a scenario that uploads and deploys 200 versions in turn (each one
//   deployed, so each is in workerd and reachable by the routing) against the same with 50. Linear
//   growth gives 4; the config is linear in them now, but Miniflare's writer still costs the
//   square of the config's size (see the README). replay.deployed_200_s: its seconds.
// Run after `npm run build`:  node bench/startup.bench.mjs   (ends with `name: value` lines)
// BENCH_ROUNDS sets the startup rounds (default 3); BENCH_VERSIONS=0 skips the version figures.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, report } from "./timing.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = path.join(ROOT, "dist/cli/main.js");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VERSIONS = process.env.BENCH_VERSIONS !== "0";

/** Runs node with `args` from the repository root; returns wall-clock ms. */
function timeProcess(args) {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const elapsed = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return elapsed;
}

/** A scenario that deploys A, uploads B `count` times, and sends one request. */
function uploadsScenario(dir, count) {
  const file = path.join(dir, `uploads-${count}.yaml`);
  writeFileSync(
    file,
    [
      `name: uploads-${count}`,
      "seed: 1",
      `worker: ${JSON.stringify(path.join(ROOT, "wrangler.toml"))}`,
      "versions: { A: {}, B: {} }",
      "steps:",
      "  - deploy: A",
      "  - upload: B",
      `    count: ${count}`,
      "  - request: /",
      "    expect: { status: 200 }",
      "",
    ].join("\n"),
  );
  return file;
}

/** A scenario that uploads and deploys `count` versions in turn (each at 100%), then calls an object. */
function deployedScenario(dir, count) {
  const file = path.join(dir, `deployed-${count}.yaml`);
  const versions = Array.from({ length: count }, (_, index) => `  V${index + 1}: { vars: { N: "${index + 1}" } }`);
  const steps = Array.from({ length: count }, (_, index) => [...(index > 0 ? [`  - upload: V${index + 1}`] : []), `  - deploy: V${index + 1}`]).flat();
  writeFileSync(
    file,
    [
      `name: deployed-${count}`,
      "seed: 1",
      `worker: ${JSON.stringify(path.join(ROOT, "wrangler.toml"))}`,
      "objects: [foo]",
      "versions:",
      ...versions,
      "steps:",
      ...steps,
      "  - request: /objects/foo",
      "    expect: { status: 200 }",
      "",
    ].join("\n"),
  );
  return file;
}

const startup = { replay: [], plain: [] };
for (let round = 0; round < ROUNDS; round++) {
  startup.replay.push(timeProcess([CLI, "replay", "scenarios/01-docs-progression.yaml"]));
  startup.plain.push(timeProcess([fileURLToPath(new URL("plain-miniflare-process.mjs", import.meta.url))]));
}
const figures = { "replay.scenario_vs_plain_miniflare": median(startup.replay) / median(startup.plain) };
console.log(`startup bench: median of ${ROUNDS} rounds`);
console.log(`  dosim replay (one scenario)  ${(median(startup.replay) / 1000).toFixed(2)} s`);
console.log(`  plain Miniflare process      ${(median(startup.plain) / 1000).toFixed(2)} s`);

if (VERSIONS) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-bench-"));
  try {
    const hundred = timeProcess([CLI, "replay", uploadsScenario(dir, 100)]);
    const fourHundred = timeProcess([CLI, "replay", uploadsScenario(dir, 400)]);
    const thousand = timeProcess([CLI, "replay", uploadsScenario(dir, 1000)]);
    console.log(`  replay, 100 uploads          ${(hundred / 1000).toFixed(2)} s`);
    console.log(`  replay, 400 uploads          ${(fourHundred / 1000).toFixed(2)} s`);
    console.log(`  replay, 1000 uploads         ${(thousand / 1000).toFixed(2)} s`);
    figures["replay.versions_400_vs_100"] = fourHundred / hundred;
    figures["replay.versions_1000_vs_100"] = thousand / hundred;
    figures["replay.versions_1000_s"] = thousand / 1000;
    const deployed50 = timeProcess([CLI, "replay", deployedScenario(dir, 50)]);
    const deployed200 = timeProcess([CLI, "replay", deployedScenario(dir, 200)]);
    console.log(`  replay, 50 deployed          ${(deployed50 / 1000).toFixed(2)} s`);
    console.log(`  replay, 200 deployed         ${(deployed200 / 1000).toFixed(2)} s`);
    figures["replay.deployed_200_vs_50"] = deployed200 / deployed50;
    figures["replay.deployed_200_s"] = deployed200 / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
report(figures);
