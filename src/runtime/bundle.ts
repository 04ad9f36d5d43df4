/**
 * Bundles the code that runs inside workerd with esbuild: dosim's own workers (`*.worker.ts`,
 * bundled once per process) and, per source, the user's Worker behind a generated entry that wraps
 * its default export and each Durable Object class.
 */
import { build, type BuildOptions } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkerSource } from "./config.js";

/** Where dosim's in-workerd sources live (they are bundled from source, not from dist/). */
const WORKERS_DIR = fileURLToPath(new URL("../../src/runtime/workers/", import.meta.url));

const COMMON: BuildOptions = {
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  target: "es2022",
  external: ["cloudflare:*", "node:*"],
  write: false,
  logLevel: "silent",
  legalComments: "none",
};

async function bundleFile(entry: string): Promise<string> {
  const result = await build({ ...COMMON, entryPoints: [entry] });
  return result.outputFiles![0]!.text;
}

/** dosim's own worker modules. */
export interface InternalBundles {
  readonly edge: string;
  readonly control: string;
  readonly router: string;
}

let internal: Promise<InternalBundles> | undefined;

/** Bundles the edge, control and router workers (once per process). */
export function bundleInternalWorkers(): Promise<InternalBundles> {
  internal ??= Promise.all([
    bundleFile(path.join(WORKERS_DIR, "edge.worker.ts")),
    bundleFile(path.join(WORKERS_DIR, "control.worker.ts")),
    bundleFile(path.join(WORKERS_DIR, "do-router.worker.ts")),
  ]).then(([edge, control, router]) => ({ edge, control, router }));
  return internal;
}

/** The generated entry of a version: the user's module, wrapped. */
export function versionEntrySource(source: WorkerSource): string {
  const user = JSON.stringify(source.main);
  const runtime = JSON.stringify(path.join(WORKERS_DIR, "version-runtime.worker.ts"));
  const lines = [
    `import * as user from ${user};`,
    `import { wrapDefaultExport, wrapDurableObjectClass } from ${runtime};`,
    `export * from ${user};`,
    `export { DosimVersionControl } from ${runtime};`,
    `export default wrapDefaultExport(user.default);`,
  ];
  const classes = new Set(source.durableObjects.map((binding) => binding.className));
  for (const className of classes) {
    lines.push(`export const ${className} = wrapDurableObjectClass(user[${JSON.stringify(className)}], ${JSON.stringify(className)});`);
  }
  return lines.join("\n");
}

/** Bundles a user's Worker behind its generated entry, into one ES module. */
export async function bundleVersion(source: WorkerSource): Promise<string> {
  const result = await build({
    ...COMMON,
    stdin: { contents: versionEntrySource(source), resolveDir: path.dirname(source.main), sourcefile: "dosim-version-entry.js", loader: "js" },
  });
  return result.outputFiles![0]!.text;
}

/** Bundles a user's Worker as is (the plain-Miniflare baseline of the benchmark). */
export function bundleUserWorker(source: WorkerSource): Promise<string> {
  return bundleFile(source.main);
}
