/**
 * dosim reads a user's wrangler config without wrangler's config warnings: for a field wrangler does
 * not know, its warning path also asks the npm registry whether a newer wrangler exists
 * (logWarningsWithUpgradeHint in wrangler's src/config/index.ts calls its update check), and dosim
 * must not touch the network to read a config. The warning is printed before the registry is
 * asked, so its absence shows that path was not taken, without any network.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { readWranglerConfig } from "../../src/runtime/config-read.js";

const dir = mkdtempSync(path.join(tmpdir(), "dosim-config-quiet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("reads a config holding a field wrangler does not know without its warning (and update check)", () => {
  const config = path.join(dir, "wrangler.toml");
  writeFileSync(config, 'name = "quiet"\nmain = "worker.js"\ncompatibility_date = "2025-01-01"\nfield_wrangler_does_not_know = true\n');
  writeFileSync(path.join(dir, "worker.js"), "export default { fetch() { return new Response('ok'); } };\n");
  const printed: unknown[] = [];
  const spies = (["log", "warn", "error", "info", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(...args)));
  try {
    expect(readWranglerConfig(config, undefined).name).toBe("quiet");
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  expect(printed.join("\n")).not.toMatch(/Unexpected fields|newer version/);
});

it("reads a config beside a .dev.vars without saying it uses those secrets, which dosim does not", () => {
  const project = path.join(dir, "dev-vars");
  mkdirSync(project);
  writeFileSync(path.join(project, "wrangler.toml"), 'name = "quiet-vars"\nmain = "worker.js"\ncompatibility_date = "2025-01-01"\n');
  writeFileSync(path.join(project, "worker.js"), "export default { fetch() { return new Response('ok'); } };\n");
  writeFileSync(path.join(project, ".dev.vars"), "API_KEY=local\n");
  const printed: unknown[] = [];
  const spies = (["log", "warn", "error", "info", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(...args)));
  try {
    expect(readWranglerConfig(path.join(project, "wrangler.toml"), undefined).name).toBe("quiet-vars");
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  expect(printed.join("\n")).not.toContain("Using secrets");
  expect(process.env.WRANGLER_LOG).toBeUndefined();
});
