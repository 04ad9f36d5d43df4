/**
 * The dashboard of `dosim dev`, used in headless Chromium as a person would: open the printed
 * address, drag the slider, read the preview, deploy, and watch the objects and the feed change.
 * A page on another origin, in the same browser with the session cookie, cannot deploy. The dev
 * server runs in this process and the upload is the verb's function: the subject is the page.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { clientFor } from "../../src/cli/account-client.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import { captureIo, get, makeProject, removeProject, startDevInProcess, type DevServerHandle } from "../dev/helpers.js";

const SCREENSHOTS = path.join(REPO_ROOT, "test-results", "screenshots");
const OBJECTS = ["foo", "bar", "baz", "qux"];

let dir: string;
let server: DevServerHandle;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let newId: string;

/** The account API of the server, called with its token as the verbs call it. */
async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.record.apiUrl}/client/v4/accounts/local/workers/scripts/${server.record.workerName}${route}`, {
    method,
    headers: { "x-dosim-token": server.record.token, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return ((await response.json()) as { result: T }).result;
}

beforeAll(async () => {
  dir = makeProject("dosim-dashboard-");
  server = await startDevInProcess(dir);
  for (const name of OBJECTS) {
    const answer = await get(`${server.url}/objects/${name}`);
    expect(answer.status, answer.text).toBe(200);
  }
  const config = path.join(dir, "wrangler.toml");
  newId = (await versionsUpload(clientFor(server.record), { config, tag: "B", message: "the new code" }, captureIo())).id;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Waits are for events (a preview, a feed entry), not for speed: a loaded machine may be slow.
  context.setDefaultTimeout(120_000);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir !== undefined) removeProject(dir);
});

describe("the dashboard of dosim dev, in Chromium", () => {
  it("opens from the printed address, drops the token from it, and shows the known objects", async () => {
    // The address `dosim dev` prints (test/dev/tutorial.test.ts reads it from the binary's output).
    const printed = `${server.record.apiUrl}/?token=${server.record.token}`;
    await page.goto(printed);
    expect(page.url()).toBe(`${server.record.apiUrl}/`);
    await page.locator("#objects tr").nth(OBJECTS.length - 1).waitFor();
    const rows = await page.locator("#objects tr th").allTextContents();
    expect(rows.sort()).toEqual([...OBJECTS].sort());
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([["dosim_session", true, "Strict"]]);
    expect(cookies[0]!.value).not.toContain(server.record.token);
  });

  it("previews the deployment the slider describes, as the API's dry run does, before deploying it", async () => {
    await page.locator("#new-version").selectOption(newId);
    const slider = page.locator("#percent");
    const box = (await slider.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
    await page.mouse.move(box.x + box.width + 10, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect(page.locator("#percent-value").textContent()).resolves.toBe("100%");
    await page.locator("#preview", { hasText: "Version B (#2): 100%" }).waitFor();
    const dry = await api<{ effect: { moved: { name?: string }[]; deferred: unknown[]; objects_known: number } }>("POST", "/deployments?dry_run=true", { versions: [{ version_id: newId, percentage: 100 }] });
    const preview = (await page.locator("#preview").textContent())!;
    expect(preview).toContain(`of ${dry.effect.objects_known} known objects, ${dry.effect.moved.length} would move`);
    for (const moved of dry.effect.moved) expect(preview).toContain(moved.name!);
    expect(await api<{ deployments: unknown[] }>("GET", "/deployments")).toMatchObject({ deployments: [{}] });
  });

  it("deploys on click; the objects and the feed follow without a reload", async () => {
    await page.locator("#deploy").click();
    await page.locator("#deploy-status", { hasText: /^Deployed/ }).waitFor();
    const deployments = await api<{ deployments: { versions: { version_id: string; percentage: number }[] }[] }>("GET", "/deployments");
    expect(deployments.deployments[0]!.versions).toEqual([{ version_id: newId, percentage: 100 }]);
    await expect.poll(() => page.locator("#feed li").count(), { timeout: 300_000 }).toBeGreaterThanOrEqual(OBJECTS.length);
    const feed = await page.locator("#feed li").allTextContents();
    for (const name of OBJECTS) expect(feed.some((line) => line.startsWith(`${name}: `) && line.includes("B (#2)")), feed.join("\n")).toBe(true);
    const assigned = await page.locator("#objects tr td:nth-child(3)").allTextContents();
    expect(new Set(assigned)).toEqual(new Set(["B (#2)"]));
    expect((await get(`${server.url}/objects/foo`)).status).toBe(200);
    await page.locator("#log li", { hasText: "/objects/foo" }).first().waitFor();
  });

  it("writes light and dark screenshots", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${colorScheme}.png`) });
    }
  });

  it("a page on another origin cannot deploy, even in the browser that holds the session", async () => {
    const before = (await api<{ deployments: unknown[] }>("GET", "/deployments")).deployments.length;
    const evil: Server = createServer((_req, res) => res.end("<!doctype html><title>elsewhere</title>"));
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    try {
      const other = await context.newPage();
      await other.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const target = `${server.record.apiUrl}/client/v4/accounts/local/workers/scripts/${server.record.workerName}/deployments`;
      const outcomes = await other.evaluate(async (url) => {
        const body = JSON.stringify({ versions: [{ version_id: "1", percentage: 100 }] });
        const tries = [
          () => fetch(url, { method: "POST", credentials: "include", headers: { "content-type": "application/json", "x-dosim-dashboard": "1" }, body }),
          () => fetch(url, { method: "POST", credentials: "include", mode: "no-cors", headers: { "content-type": "text/plain" }, body }),
        ];
        const results: string[] = [];
        for (const attempt of tries) {
          try {
            const response = await attempt();
            results.push(`${response.type} ${response.status}`);
          } catch (error) {
            results.push(`refused: ${(error as Error).name}`);
          }
        }
        return results;
      }, target);
      expect(outcomes[0]).toBe("refused: TypeError");
      expect(outcomes[1]).toBe("opaque 0");
      await other.close();
    } finally {
      evil.close();
    }
    expect((await api<{ deployments: unknown[] }>("GET", "/deployments")).deployments).toHaveLength(before);
    const anonymous = await fetch(`${server.record.apiUrl}/`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain(server.record.token);
  });
});
