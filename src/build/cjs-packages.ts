/**
 * wrangler and Miniflare, loaded with `require`. Both are CommonJS bundles (10 MB and 3 MB): an ESM
 * `import` first has Node scan them for named exports (cjs-module-lexer), which costs about a third
 * of their load time. Each loads once, on first use.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The wrangler package. */
export function loadWrangler(): typeof import("wrangler") {
  return require("wrangler") as typeof import("wrangler");
}

/** The miniflare package. */
export function loadMiniflare(): typeof import("miniflare") {
  return require("miniflare") as typeof import("miniflare");
}
