// The HTML report of a 10,000-object scenario: its size, and how long headless Chromium takes to
// load and lay it out (median of interleaved rounds, next to an empty page in the same browser as
// the baseline). Needs the system's Chromium (or CHROMIUM_PATH), as the browser tests do.
// Run after `npm run build`:  node bench/html-report.bench.mjs   (BENCH_HTML_ROUNDS, default 5)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { median, report, timeRoundsAsync } from "./timing.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.BENCH_HTML_ROUNDS ?? 5);
const browserPath = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(existsSync);
const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-bench-html-"));

const SCENARIO = `name: ten thousand objects
worker: ${JSON.stringify(path.join(ROOT, "wrangler.toml"))}
objects: 10000
versions: { A: {}, B: {}, C: {} }
steps:
  - deploy: A
  - upload: B
${[5, 10, 25, 50, 75, 90].map((b) => `  - deploy: B@${b},A@${100 - b}`).join("\n")}
  - deploy: B@100
  - upload: C
${[10, 50].map((c) => `  - deploy: C@${c},B@${100 - c}`).join("\n")}
  - rollback: B
`;

try {
  if (browserPath === undefined) throw new Error("no Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH");
  writeFileSync(path.join(dir, "big.yaml"), SCENARIO);
  writeFileSync(path.join(dir, "blank.html"), "<!doctype html><title>blank</title>");
  const html = path.join(dir, "big.html");
  const run = spawnSync(process.execPath, [path.join(ROOT, "dist/cli/main.js"), "replay", path.join(dir, "big.yaml"), "--reporter", "html", "--out", html], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`replay exited ${run.status}: ${run.stderr}`);
  const browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  const page = await browser.newPage();
  const open = async (file) => {
    await page.goto(pathToFileURL(path.join(dir, file)).href, { waitUntil: "load" });
    await page.evaluate(() => document.body.getBoundingClientRect());
  };
  const samples = await timeRoundsAsync(ROUNDS, { blank: () => open("blank.html"), report: () => open("big.html") });
  await browser.close();
  const [blank, big] = [median(samples.blank), median(samples.report)];
  report({ "report.html_10k_kb": Math.round(statSync(html).size / 1024), "report.html_10k_render_ms": Math.round(big), "report.html_10k_vs_blank_page": big / blank });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
