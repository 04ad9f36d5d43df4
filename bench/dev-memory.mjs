// Steady traffic against a running `dosim dev`, with workerd's resident memory sampled as it goes:
// does it level off? Not part of `npm run bench` (it takes minutes and prints a series, not a ratio).
// Run after `npm run build`:  node bench/dev-memory.mjs [seconds=180] [concurrency=16]
// It copies the example Worker into a temporary project, starts `dosim dev --port 0` there, sends
// requests to the root and to 200 named objects from `concurrency` loops, prints workerd's RSS
// (the sum over its processes, from /proc; Linux only) every 10 s, then stops the server.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECONDS = Number(process.argv[2] ?? 180);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const OBJECTS = 200;

/** Resident set size in MB of a process, from /proc. */
function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((entry) => entry.startsWith("VmRSS:"));
    return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return 0;
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-memory-"));
mkdirSync(path.join(dir, "src/example"), { recursive: true });
copyFileSync(path.join(ROOT, "wrangler.toml"), path.join(dir, "wrangler.toml"));
copyFileSync(path.join(ROOT, "src/example/worker.ts"), path.join(dir, "src/example/worker.ts"));
const child = spawn(process.execPath, [path.join(ROOT, "dist/cli/main.js"), "dev", "--port", "0"], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
let output = "";
const url = await new Promise((resolve, reject) => {
  child.stdout.on("data", (chunk) => {
    output += chunk;
    const match = /Ready on (\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  child.once("exit", () => reject(new Error(`dosim dev exited:\n${output}`)));
});
// The request log is not what is measured: drop it.
child.stdout.removeAllListeners("data").resume();
const record = JSON.parse(readFileSync(path.join(dir, ".dosim", "server.json"), "utf8"));
const workerdMb = () => record.childPids.reduce((sum, pid) => sum + rssMb(pid), 0);

let requests = 0;
let failures = 0;
const deadline = Date.now() + SECONDS * 1000;
async function loop(index) {
  for (let n = index; Date.now() < deadline; n += CONCURRENCY) {
    const target = n % 4 === 0 ? "/" : `/objects/memory-${n % OBJECTS}`;
    try {
      const response = await fetch(`${url}${target}`);
      await response.arrayBuffer();
      if (response.status !== 200) failures++;
    } catch {
      failures++;
    }
    requests++;
  }
}
const start = Date.now();
console.log(`dosim dev at ${url}; workerd pids ${record.childPids.join(", ")}; ${CONCURRENCY} loops for ${SECONDS} s`);
console.log(`  t=0s  workerd RSS ${workerdMb().toFixed(0)} MB`);
const sampler = setInterval(() => {
  console.log(`  t=${Math.round((Date.now() - start) / 1000)}s  workerd RSS ${workerdMb().toFixed(0)} MB  dosim RSS ${rssMb(child.pid).toFixed(0)} MB  requests ${requests}  failures ${failures}`);
}, 10_000);
await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => loop(index)));
clearInterval(sampler);
console.log(`  end  workerd RSS ${workerdMb().toFixed(0)} MB; ${requests} requests, ${failures} not 200`);
child.kill("SIGTERM");
await new Promise((resolve) => child.once("exit", resolve));
rmSync(dir, { recursive: true, force: true });
