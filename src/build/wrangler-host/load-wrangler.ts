/**
 * Loads wrangler's CLI bundle once, as the CommonJS module it is, and reaches the `main(argv)` its
 * own launcher calls. `main` is not exported: the bundle is compiled here with one line added at
 * its end that hands it out (and wrangler's logger, whose "once" warnings would otherwise be said
 * only in the first build). The bundle's own start (`require.main === module`) does not fire, as
 * it is not the main module. A wrangler without a top-level `main` yields undefined.
 */
import { readFileSync } from "node:fs";
import Module from "node:module";
import path from "node:path";

/** What the host needs of a loaded wrangler. */
export interface LoadedWrangler {
  /** Runs one wrangler command line (without `node cli.js`); rejects when the command failed. */
  readonly main: (argv: string[]) => Promise<void>;
  /** Forgets the warnings wrangler said once already, as a new process would have none. */
  readonly forgetOnceWarnings: () => void;
}

/** Node's CommonJS loader, as far as it is used here (internal, and stable since Node 0.x). */
interface CommonJsModule {
  filename: string;
  paths: string[];
  exports: Record<string, unknown>;
  _compile(source: string, filename: string): void;
}
type CommonJsLoader = (new (id: string) => CommonJsModule) & { _nodeModulePaths(dir: string): string[] };

const HAND_OUT = `
;module.exports.__dosimMain = typeof main === "function" ? main : undefined;
module.exports.__dosimLogger = typeof logger === "object" ? logger : undefined;
`;

/** Loads `cliPath`; undefined when it has no `main` to call. */
export function loadWrangler(cliPath: string): LoadedWrangler | undefined {
  const Loader = Module as unknown as CommonJsLoader;
  const loaded = new Loader(cliPath);
  loaded.filename = cliPath;
  loaded.paths = Loader._nodeModulePaths(path.dirname(cliPath));
  loaded._compile(readFileSync(cliPath, "utf8") + HAND_OUT, cliPath);
  const main = loaded.exports.__dosimMain;
  if (typeof main !== "function") return undefined;
  const logger = loaded.exports.__dosimLogger as { clearHistory?: unknown } | undefined;
  return {
    main: main as LoadedWrangler["main"],
    forgetOnceWarnings: () => {
      if (typeof logger?.clearHistory === "function") logger.clearHistory();
    },
  };
}
