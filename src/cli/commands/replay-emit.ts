/**
 * `dosim replay --emit wrangler`: instead of replaying, writes for each scenario the wrangler
 * script and runbook of its rollout (src/emit) into `--emit-dir` (default ./runbooks), named after
 * the scenario file, and prints their paths. Nothing runs; the Worker's config is read for its name.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { emitRunbook, emitWranglerScript } from "../../emit/wrangler-script.js";
import type { Scenario } from "../../scenario/types.js";
import { InputError } from "../exit-codes.js";

/** The formats `--emit` knows. */
const FORMATS = ["wrangler"] as const;

/** Writes the script and runbook of every scenario; returns the files written. */
export async function emitScenarios(format: string, scenarios: readonly Scenario[], files: readonly string[], outDir: string): Promise<string[]> {
  if (!(FORMATS as readonly string[]).includes(format)) throw new InputError("invalid-input", `Unknown --emit format "${format}"; use ${FORMATS.join(", ")}.`);
  const { readWorkerSource } = await import("../../runtime/config.js");
  const dir = path.resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const shown = files[index]!;
    const workerName = readWorkerSource(scenario.workerConfig).name;
    const ctx = { scenario, workerName, outDir: dir };
    const base = path.join(dir, path.basename(shown).replace(/\.ya?ml$/, ""));
    writeFileSync(`${base}.sh`, emitWranglerScript(ctx, shown), { mode: 0o755 });
    writeFileSync(`${base}.md`, emitRunbook(ctx, shown));
    written.push(`${base}.sh`, `${base}.md`);
  }
  return written;
}
