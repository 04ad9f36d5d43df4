/**
 * Proves the request-routing model can run in workerd: esbuild bundles it for a neutral platform
 * (no Node resolution, no built-ins), and the bundle routes exactly like the source.
 */
import { build } from "esbuild";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/model/random.js";
import { createRequestRouter } from "../../src/model/request-routing.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY_POINTS = [
  "src/model/request-routing.ts",
  "src/model/version-overrides.ts",
  "src/model/version-key.ts",
  "src/model/random.ts",
];

/** Bundles the entry points the way the runtime bundles code for workerd, in memory. */
async function bundle() {
  return build({
    absWorkingDir: repoRoot,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    outdir: "out",
    metafile: true,
    logLevel: "silent",
  });
}

/** Matches an import or require of any Node built-in, with or without the `node:` prefix. */
const builtins = builtinModules.map((name) => name.replace(/[/\\^$*+?.()|[\]{}]/g, "\\$&")).join("|");
const builtinImport = new RegExp(`(?:from\\s*|import\\s*\\(\\s*|require\\s*\\(\\s*)["'](?:node:[^"']+|(?:${builtins}))["']`);

describe("the model bundles for workerd", () => {
  it("builds for platform neutral without Node built-ins", async () => {
    const result = await bundle();
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.outputFiles).toHaveLength(ENTRY_POINTS.length);
    for (const file of result.outputFiles) {
      expect(file.text).not.toMatch(builtinImport);
      expect(file.text).not.toMatch(/\brequire\s*\(/);
    }
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes("seedrandom/lib/alea.js"))).toBe(true);
    expect(inputs.filter((input) => /seedrandom\/(index|seedrandom)\.js$/.test(input))).toEqual([]);
  });

  it("routes exactly like the source when run from the bundle", async () => {
    const result = await bundle();
    const routing = result.outputFiles.find((file) => file.path.endsWith("request-routing.js"))!;
    const random = result.outputFiles.find((file) => file.path.endsWith("random.js"))!;
    const load = (text: string) => import(`data:text/javascript;base64,${Buffer.from(text).toString("base64")}`);
    const bundled = (await load(routing.text)) as typeof import("../../src/model/request-routing.js");
    const bundledRandom = (await load(random.text)) as typeof import("../../src/model/random.js");

    const deployment = {
      entries: [
        { versionId: "b", percentage: 20.5 },
        { versionId: "a", percentage: 79.5 },
      ],
    };
    const fromSource = createRequestRouter(deployment, "w");
    const fromBundle = bundled.createRequestRouter(deployment, "w");
    const sourceRandom = createRandom("bundle");
    const bundleRandom = bundledRandom.createRandom("bundle");
    for (let i = 0; i < 2000; i++) {
      const request = i % 3 === 0 ? { versionKey: `user-${i}` } : i % 7 === 0 ? { overridesHeader: 'w="a"' } : {};
      expect(fromBundle({ ...request, random: bundleRandom })).toEqual(fromSource({ ...request, random: sourceRandom }));
    }
  });
});
