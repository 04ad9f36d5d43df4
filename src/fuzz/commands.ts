/**
 * The random rollouts `dosim fuzz` tries, as fast-check arbitraries. A rollout is a list of
 * commands that name versions and objects by index, so any sub-list is a rollout too: fast-check
 * shrinks a failing one by dropping and simplifying commands, and {@link rolloutSteps} skips a
 * command that no longer makes sense where it lands (a deploy of a version not uploaded yet).
 */
import fc from "fast-check";

/** How a deployment treats live objects: the file's default, or one of these. */
export type CodeUpdateChoice = "default" | "immediate" | "deferred 30s";

/** An operation: upload, deploy, rollback or secret change. */
export type OperationCommand =
  /** `version` 0 is the first declared version not uploaded yet; others count through the declared ones. */
  | { readonly kind: "upload"; readonly version: number }
    /** `first` and `second` count from the newest version made (0). */
  | { readonly kind: "deploy"; readonly first: number; readonly second: number; readonly percent: number; readonly codeUpdate: CodeUpdateChoice }
  | { readonly kind: "rollback"; readonly target: number | null; readonly force: boolean; readonly codeUpdate: CodeUpdateChoice }
  | { readonly kind: "secret"; readonly value: number; readonly versioned: boolean; readonly codeUpdate: CodeUpdateChoice };

/** One command of a rollout: an operation, workload, or time passing. */
export type FuzzCommand =
  | OperationCommand
  | { readonly kind: "request"; readonly object: number }
  | { readonly kind: "traffic"; readonly object: number; readonly requests: number; readonly during: DuringCommand | null }
  | { readonly kind: "wait"; readonly duration: WaitChoice }
  | { readonly kind: "idle"; readonly object: number }
  /** `endpoint` picks a declared WebSocket endpoint; `object`, its object. */
  | { readonly kind: "open-socket"; readonly endpoint: number; readonly object: number }
  /** Uses (sends on, and checks) a socket opened earlier: `socket` counts back from the newest. */
  | { readonly kind: "use-socket"; readonly socket: number }
  /** `call` picks a declared call; `object`, its object. */
  | { readonly kind: "call"; readonly call: number; readonly object: number };

/** An operation carried out in the middle of a traffic step, its requests held in flight or not. */
export interface DuringCommand {
  readonly operation: OperationCommand;
  readonly hold: boolean;
}

/** The waits a rollout uses: under and over the 10 s hibernation, the 30 s and the 300 s delays. */
export const WAITS = ["5s", "15s", "45s", "6m"] as const;

/** One of {@link WAITS}. */
export type WaitChoice = (typeof WAITS)[number];

/** A whole number to pick a version, an object or a value with (taken modulo what there is). */
const pick = fc.nat({ max: 11 });

/** Mostly `usual`, sometimes any: rollouts progress and go back, and requests return to one object. */
const recent = (usual: number) => fc.oneof({ weight: 3, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: pick });

const codeUpdate = fc.oneof({ weight: 1, arbitrary: fc.constant<CodeUpdateChoice>("default") }, { weight: 3, arbitrary: fc.constant<CodeUpdateChoice>("immediate") }, { weight: 1, arbitrary: fc.constant<CodeUpdateChoice>("deferred 30s") });


/** Deploy percentages: mostly round, sometimes the edges (0 and 100) or odd ones. */
const percent = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(10, 20, 50, 80, 90) }, { weight: 3, arbitrary: fc.constant(100) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }) });

const operation: fc.Arbitrary<OperationCommand> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("upload" as const), version: recent(0) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("deploy" as const), first: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: pick }), second: recent(1), percent, codeUpdate }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("rollback" as const), target: fc.option(recent(1), { nil: null }), force: fc.boolean(), codeUpdate }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("secret" as const), value: fc.nat({ max: 2 }), versioned: fc.boolean(), codeUpdate }) },
);

/** How many WebSocket endpoints and calls the Worker offers (none: no such commands). */
export interface WorkloadOffer {
  readonly sockets: number;
  readonly calls: number;
}

/** One command, among those the Worker's offer allows. */
function commandArbitrary(offer: WorkloadOffer): fc.Arbitrary<FuzzCommand> {
  const extra: fc.WeightedArbitrary<FuzzCommand>[] = [];
  if (offer.sockets > 0) {
    extra.push({ weight: 3, arbitrary: fc.record({ kind: fc.constant("open-socket" as const), endpoint: pick, object: recent(0) }) });
    extra.push({ weight: 4, arbitrary: fc.record({ kind: fc.constant("use-socket" as const), socket: recent(0) }) });
  }
  if (offer.calls > 0) extra.push({ weight: 5, arbitrary: fc.record({ kind: fc.constant("call" as const), call: pick, object: recent(0) }) });
  return fc.oneof(...baseCommands, ...extra);
}

const baseCommands: fc.WeightedArbitrary<FuzzCommand>[] = [
  { weight: 8, arbitrary: operation },
  { weight: 9, arbitrary: fc.record({ kind: fc.constant("request" as const), object: recent(0) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("traffic" as const),
      object: pick,
      requests: fc.constantFrom(20, 50),
      during: fc.option(fc.record({ operation, hold: fc.boolean() }), { nil: null, freq: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), duration: fc.constantFrom(...WAITS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("idle" as const), object: pick }) },
];

/** A generated rollout: its commands and the seed of the scenario it becomes (request splits, ids). */
export interface Rollout {
  readonly scenarioSeed: number;
  readonly commands: readonly FuzzCommand[];
}

/** Rollouts of up to `maxSteps` commands, with socket and call commands when the Worker offers them. */
export function rolloutArbitrary(maxSteps: number, offer: WorkloadOffer = { sockets: 0, calls: 0 }): fc.Arbitrary<Rollout> {
  const command = commandArbitrary(offer);
  // Shrinking only drops commands: each try is a run on workerd, and a shorter rollout is the
  // point, so neither the seed nor a command's own values are shrunk (that would change what the
  // rollout does without making it shorter). `size: "max"` spreads lengths up to maxSteps.
  return fc.record({
    scenarioSeed: fc.noShrink(fc.nat({ max: 999 })),
    // Reversed: fast-check shrinks an array by keeping its tail, and what breaks a rollout is its
    // beginning, so the first tries cut the steps after the break.
    commands: fc.array(fc.noShrink(command), { minLength: 1, maxLength: maxSteps, size: "max" }).map((list) => [...list].reverse()),
  });
}
