/**
 * The HTML report in a real browser: the replay of every shipped scenario (the one the suite shares),
 * opened from a file in headless Chromium. Every grid cell must say what the JSON report of the same run says, a click on a cell
 * must show that object's history, and the page must load nothing from the network. Screenshots
 * (light and dark) go to test-results/screenshots for CI to keep.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplayReport } from "../../src/report/replay-report.js";
import { launchChromium } from "../helpers/chromium.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { SHIPPED_REPORTS, shippedReplay } from "../helpers/shipped-replay.js";

const SCREENSHOTS = path.join(REPO_ROOT, "test-results", "screenshots");

/** The part of a DOM table row read here (the project's types have no DOM). */
interface TableRow {
  querySelectorAll(selector: "td"): ArrayLike<{ readonly textContent: string | null }>;
}

let report: ReplayReport;
let pageUrl: string;
let browser: Browser;

beforeAll(async () => {
  // The JSON and HTML reports of one replay of every shipped scenario.
  const shipped = await shippedReplay();
  report = shipped.report;
  pageUrl = pathToFileURL(shipped.file(SHIPPED_REPORTS.html)).href;
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

describe("replay --reporter html, in Chromium", () => {
  it("shows in every grid cell the version, reset and deferred marks of the JSON report", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pageUrl);
    for (const [index, scenario] of report.scenarios.entries()) {
      const section = page.locator(`#scenario-${index + 1}`);
      await expect(section.locator("h2").textContent()).resolves.toBe(scenario.name);
      // Every row's cells in one round trip to the page.
      const grid = await section.locator("table.grid tbody tr").evaluateAll((rows) => (rows as unknown as readonly TableRow[]).map((row) => Array.from(row.querySelectorAll("td"), (cell) => cell.textContent ?? "")));
      expect(grid).toHaveLength(scenario.objects.length);
      for (const [row, name] of scenario.objects.entries()) {
        const cells = grid[row];
        const expected = scenario.deployments.map((deployment) => {
          const cell = deployment.objects[name];
          return cell === undefined ? "—" : `${cell.version}${cell.reset ? "*" : ""}${cell.deferred === true ? "~" : ""}`;
        });
        expect(cells, `${scenario.name}: ${name}`).toEqual(expected);
      }
    }
    expect(requests.filter((url) => !url.startsWith("file:"))).toEqual([]);
    await page.close();
  });

  it("a click on a cell shows that object's id, slot, history and resets; Escape hides it", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pageUrl);
    const scenario = report.scenarios[0]!;
    const detail = scenario.objectDetails!.find((entry) => entry.resets.length > 0)!;
    const lastStep = scenario.deployments.at(-1)!.step;
    await page.locator(`#scenario-1 button[data-object="${detail.name}"][data-step="${lastStep}"]`).click();
    const panel = page.locator("#detail");
    await expect(panel.isVisible()).resolves.toBe(true);
    const text = (await panel.textContent()) ?? "";
    expect(text).toContain(`Object ${detail.name}`);
    expect(text).toContain(detail.id);
    expect(text).toContain(`slot ${detail.slot}`);
    for (const entry of detail.history) expect(text).toContain(`step ${entry.step}: ${entry.version}`);
    for (const reset of detail.resets) expect(text).toContain(`${reset.from} → ${reset.to} (${reset.cause}`);
    await page.keyboard.press("Escape");
    await expect(panel.isVisible()).resolves.toBe(false);
    await page.close();
  });

  it("lists every expectation, failed ones first, and reads in light and dark mode", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 1000 } });
      await page.goto(pageUrl);
      const rows = await page.locator("#scenario-1 table.expectations tbody tr").count();
      expect(rows).toBe(report.scenarios[0]!.expectations.length);
      const background = await page.locator("body").evaluate((body) => (body.ownerDocument.defaultView as { getComputedStyle(node: unknown): { backgroundColor: string } }).getComputedStyle(body).backgroundColor);
      expect(background).toBe(colorScheme === "light" ? "rgb(255, 255, 255)" : "rgb(20, 21, 25)");
      await page.screenshot({ path: path.join(SCREENSHOTS, `replay-report-${colorScheme}.png`), fullPage: false });
      await page.close();
    }
  });
});
