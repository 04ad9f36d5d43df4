// Runs every benchmark under bench/ (files named *.bench.mjs), one after another, each in its own
// process so they do not disturb each other's heap. `npm run bench` builds dist/ first.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.mjs"))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();
let failed = false;
for (const file of files) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url))], { stdio: "inherit" });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
