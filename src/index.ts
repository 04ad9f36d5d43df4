/**
 * dosim's programmatic entry point: the pure model (rules, ids, assignment, ledger, plans).
 */
export * from "./model/index.js";
