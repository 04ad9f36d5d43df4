/**
 * The pure model of dosim: every platform rule, with no imports from Node, Miniflare or wrangler.
 * The same code runs in the CLI and, bundled, inside workerd.
 */
export * from "./errors.js";
export * from "./input-error.js";
export * from "./limits.js";
export * from "./types.js";
export * from "./utf8.js";
export * from "./text-bytes.js";
export * from "./versions.js";
export * from "./deployment-spec.js";
export * from "./deployable.js";
export * from "./code-update.js";
export * from "./code-update-strategy.js";
export * from "./lifecycle.js";
export * from "./shutdown.js";
export * from "./class-migrations.js";
export * from "./deploy.js";
export * from "./rollback.js";
export * from "./secrets.js";
export * from "./assignment.js";
export * from "./object-ids.js";
export * from "./object-slots.js";
export * from "./version-key.js";
export * from "./version-overrides.js";
export * from "./random.js";
export * from "./request-routing.js";
export * from "./ledger.js";
export * from "./clock.js";
export * from "./plan.js";
export * from "./check-pairings.js";
export * from "./check-verdicts.js";
export * from "./plan-report.js";
export * from "./analysis/movement.js";
export * from "./analysis/reorder.js";
export * from "./checkers/rollout-view.js";
export * from "./checkers/guarantees.js";
