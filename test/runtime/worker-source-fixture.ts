/** A Worker source as dosim reads it from a wrangler config: one SQLite Counter class, no vars. */
import type { WorkerSource } from "../../src/runtime/config.js";

export const COUNTER_SOURCE: WorkerSource = {
  configPath: "/project/wrangler.toml",
  name: "hello",
  main: "/project/worker.js",
  compatibilityDate: "2026-04-01",
  compatibilityFlags: [],
  vars: {},
  durableObjects: [{ binding: "COUNTER", className: "Counter" }],
  sqliteClasses: new Map([["Counter", true]]),
  passthroughOptions: {},
};
