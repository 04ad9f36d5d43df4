/**
 * The scenario file format, as one zod schema: the single source of truth for validation, for the
 * TypeScript type of a file as written ({@link ScenarioFile}) and for the JSON Schema that editors
 * use (`schema/scenario.schema.json`). The schema describes the file only; defaults, relative paths
 * and cross-references are settled by the loader, which produces a {@link Scenario} (./types.ts).
 *
 * Design, in one paragraph: every step has exactly one action key whose value is its short form,
 * with options beside it. Expectations sit under `expect`: on an operation or request they check
 * what that step did (`refused: 10211`, `status: 200`, `share`...) and the state after it; a step
 * of `expect` alone checks the state only. A step expected to be refused leaves the state as it
 * was and the run goes on. Guarantees are named once, at the top, and hold over the whole run.
 */
import { z } from "zod";
import type { GuaranteeName } from "../model/checkers/rollout-view.js";
import { CodeUpdate, Label, LimitsOverride, ObjectName, StringMap } from "./schema/common.js";
import { CheckBlock } from "./schema/check.js";
import { Step } from "./schema/steps.js";

export type * from "./types.js";
export { STEP_ACTIONS, DURING_ACTIONS, type StepAction } from "./schema/steps.js";
export { LABEL_PATTERN, DURATION_PATTERN, DURATION_UNITS_MS } from "./schema/common.js";

/** The docs' Durable Object guarantees, by the checkers' names (src/model/checkers). */
export const GUARANTEE_NAMES = [
  "same-version-within-deployment",
  "rising-version-keeps-objects",
  "reset-only-on-version-change",
  "one-reset-per-progression",
] as const satisfies readonly GuaranteeName[];

// Fails to compile if the checkers gain a guarantee this list does not name.
const everyGuaranteeListed: [Exclude<GuaranteeName, (typeof GUARANTEE_NAMES)[number]>] extends [never] ? true : never = true;
void everyGuaranteeListed;

/** One wrangler `[[migrations]]` entry, appended to the config's own list for a version. */
const Migration = z
  .strictObject({
    tag: z.string().min(1).describe("The migration's tag; the newest tag is the version's migration tag."),
    new_classes: z.array(z.string()).optional(),
    new_sqlite_classes: z.array(z.string()).optional(),
    renamed_classes: z.array(z.strictObject({ from: z.string(), to: z.string() })).optional(),
    deleted_classes: z.array(z.string()).optional(),
  })
  .describe("A Durable Object migration, as in wrangler's [[migrations]].");

/** How one labelled version differs from the wrangler config. */
const VersionDeclaration = z
  .strictObject({
    tag: z.string().optional().describe("workers/tag (default: the label)."),
    message: z.string().optional().describe("workers/message."),
    vars: StringMap.optional().describe("Vars set on top of the config's [vars]."),
    secrets: StringMap.optional().describe("Secrets set on this version (the others are inherited from the newest version)."),
    migrations: z.array(Migration).optional().describe("Migrations added after the config's own; a versioned upload of them is refused (10211)."),
    config: z.string().min(1).optional().describe("A different wrangler config for this version's code, relative to the scenario file."),
    main: z.string().min(1).optional().describe("A different entry module, relative to the scenario file."),
  })
  .describe("A version: the wrangler config plus these changes. Leave it empty for the config as it is.");

const SEED_HINT = "a seed is a whole number from 0 up (for example 1) or non-empty text (for example release-42)";

/** A scenario file, as validated. */
export const ScenarioFileSchema = z
  .strictObject({
    name: z.string().min(1).describe("The scenario's name, shown in reports."),
    description: z.string().optional().describe("What the scenario shows."),
    seed: z
      .union([z.int().min(0, { error: SEED_HINT }), z.string().min(1, { error: SEED_HINT })], { error: SEED_HINT })
      .optional()
      .describe("The seed of every random choice (request splits, ids); the same seed gives the same run (default 1)."),
    worker: z
      .string()
      .min(1)
      .optional()
      .describe("The wrangler config, relative to this file (default: the nearest wrangler.toml, .jsonc or .json above it)."),
    objects: z
      .union([z.array(ObjectName).min(1), z.int().min(1).max(1_000_000)], {
        error: "expected object names (a list) or a count of generated names",
      })
      .optional()
      .describe("Durable Objects known from the start: names, or a count (object-1, object-2, ...)."),
    versions: z
      .record(Label, VersionDeclaration.nullable())
      .describe("The versions, by label: label → tag, message, vars, secrets, migrations, config, main (all optional)."),
    codeUpdate: CodeUpdate.optional().describe("The default code-update strategy of deployments (default deferred with a 300 s delay, as on the platform; write immediate to reset live objects at the deployment)."),
    limits: LimitsOverride.optional(),
    guarantees: z
      .union([z.literal("all"), z.array(z.enum(GUARANTEE_NAMES))], {
        error: `expected all, or a list of: ${GUARANTEE_NAMES.join(", ")}`,
      })
      .optional()
      .describe("The docs' Durable Object guarantees that must hold over the whole run (or all of them)."),
    steps: z.array(Step).min(1, { error: "a scenario needs at least one step" }).describe("What happens, in order."),
    check: CheckBlock.optional().describe("What `dosim check <file>` runs on these versions (replay ignores it)."),
  })
  .describe("A dosim scenario: a Worker, its versions, steps and expectations.")
  .meta({ title: "dosim scenario" });

/** A scenario file as written (before defaults and cross-checks). */
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

/** One step as written. */
export type StepFile = ScenarioFile["steps"][number];
