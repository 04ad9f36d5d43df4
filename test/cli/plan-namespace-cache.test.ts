import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { runDosim } from "../helpers/run-cli.js";
import { planInProcess } from "./in-process.js";

const CONFIG = (name: string) => `name = "${name}"
main = "worker.js"
compatibility_date = "2026-04-01"

[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[env.staging]
[[env.staging.durable_objects.bindings]]
name = "COUNTER"
class_name = "StagingCounter"
`;

describe("dosim plan: the namespace cache", () => {
  let dir: string;
  const cacheFolder = () => join(dir, "node_modules", ".cache", "dosim", "namespace");
  /** The namespace the built binary derives from ./wrangler.toml in the project's folder. */
  const namespace = async () => {
    const run = await runDosim(["plan", "--json", "--names", "foo", "--step", "A@100"], { cwd: dir, env: { CLOUDFLARE_ENV: "" } });
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout).namespace as string;
  };
  /**
   * The same, derived in this process from the project's config (wrangler is loaded once, not
   * once per run), with CLOUDFLARE_ENV set to `cloudflareEnv` as the binary's environment would be.
   */
  const namespaceInProcess = async (cloudflareEnv = "") => {
    const before = process.env.CLOUDFLARE_ENV;
    process.env.CLOUDFLARE_ENV = cloudflareEnv;
    try {
      const run = await planInProcess(["--json", "--names", "foo", "--step", "A@100", "--config", join(dir, "wrangler.toml")]);
      expect(run.stderr).toBe("");
      return JSON.parse(run.stdout).namespace as string;
    } finally {
      if (before === undefined) delete process.env.CLOUDFLARE_ENV;
      else process.env.CLOUDFLARE_ENV = before;
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "dosim-plan-cache-"));
    writeFileSync(join(dir, "package.json"), "{}\n");
    writeFileSync(join(dir, "wrangler.toml"), CONFIG("alpha"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("stores wrangler's answer under the package's node_modules/.cache and reads it on the next run", async () => {
    expect(await namespace()).toBe("alpha-Counter");
    const [entry, ...others] = readdirSync(cacheFolder());
    expect(others).toEqual([]);
    // Prove the next run reads the entry rather than loading wrangler again: change its answer.
    const file = join(cacheFolder(), entry!);
    writeFileSync(file, readFileSync(file, "utf8").replace("alpha-Counter", "alpha-FromCache"));
    expect(await namespace()).toBe("alpha-FromCache");
  });

  it("never reads an entry of other config bytes or another CLOUDFLARE_ENV", async () => {
    expect(await namespaceInProcess()).toBe("alpha-Counter");
    writeFileSync(join(dir, "wrangler.toml"), CONFIG("beta"));
    expect(await namespaceInProcess()).toBe("beta-Counter");
    const staging = unstable_readConfig({ config: join(dir, "wrangler.toml"), env: "staging" }, { hideWarnings: true });
    expect(await namespaceInProcess("staging")).toBe(`${staging.name}-${staging.durable_objects.bindings[0]!.class_name}`);
    expect(readdirSync(cacheFolder())).toHaveLength(3);
  });
});
