/**
 * dosim's programmatic entry point: the runtime host (`Simulator`) and the pure model (rules, ids,
 * assignment, ledger, plans).
 */
export * from "./model/index.js";
export * from "./runtime/index.js";
