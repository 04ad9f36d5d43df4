/**
 * A generated rollout as scenario steps, written as in a scenario file. The run always begins with
 * a full deploy of the first version (the platform's first deployment). A command that makes no
 * sense where it lands — a deploy or rollback naming a version that was never made — is skipped,
 * so every sub-list fast-check tries while shrinking is still a scenario the loader accepts.
 */
import type { FuzzCommand, OperationCommand, Rollout } from "./commands.js";
import type { FuzzTarget } from "./target.js";

/** One step as written in a scenario file. */
export type RawStep = Record<string, unknown>;

/** The secret a rollout changes. */
export const FUZZ_SECRET = "FUZZ_SECRET";

/** A socket the rollout opens: its object and whether that object can still hibernate with it. */
export interface RolloutSocket {
  readonly object: string;
  readonly hibernatable: boolean;
}

/** A rollout's steps, and its sockets by name. */
export interface RolloutSteps {
  readonly steps: RawStep[];
  readonly sockets: ReadonlyMap<string, RolloutSocket>;
}

/** Turns commands into steps for `target`, in order; the user's invariants follow every step. */
export function rolloutSteps(rollout: Rollout, target: FuzzTarget): RolloutSteps {
  /** Labels made so far, in the order first made. */
  const made: string[] = [target.versions[0]!.label];
  const newest = (back: number): string => made[made.length - 1 - (back % made.length)]!;
  const makeLabel = (label: string): void => {
    if (!made.includes(label)) made.push(label);
  };
  let secrets = 0;
  const steps: RawStep[] = [];
  /** Adds a step; the user's invariants are checked after every step, each with its own expectations. */
  const add = (step: RawStep): void => {
    steps.push(step);
    for (const invariant of target.invariants) steps.push({ ...invariant });
  };
  add({ deploy: made[0] });
  const objectName = (index: number): string => target.objects[index % target.objects.length]!;

  /** An operation's step, or undefined when it names nothing that exists yet. */
  const operation = (command: OperationCommand): RawStep | undefined => {
    const codeUpdate = command.kind !== "upload" && command.codeUpdate !== "default" ? { codeUpdate: command.codeUpdate } : {};
    const fresh = target.versions.find((version) => !made.includes(version.label));
    // With one version made, a deploy or rollback could only repeat it: upload the next one instead.
    if (command.kind === "upload" || ((command.kind === "deploy" || command.kind === "rollback") && made.length < 2 && fresh !== undefined)) {
      const version = command.kind === "upload" ? command.version : 0;
      const label = version === 0 && fresh !== undefined ? fresh.label : target.versions[version % target.versions.length]!.label;
      makeLabel(label);
      return { upload: label };
    }
    if (command.kind === "deploy") {
      const first = newest(command.first);
      const second = newest(command.second);
      const spec = first === second || command.percent === 100 ? `${first}@100` : `${first}@${command.percent},${second}@${100 - command.percent}`;
      return { deploy: spec, ...codeUpdate };
    }
    if (command.kind === "rollback") {
      const to = command.target === null ? null : newest(command.target);
      return { rollback: to, ...(command.force && { force: true }), ...codeUpdate };
    }
    const label = `fuzz-secret-${++secrets}`;
    makeLabel(label);
    return { secret: FUZZ_SECRET, value: `value-${command.value}`, label, ...(command.versioned ? { versioned: true } : codeUpdate) };
  };

  const sockets = new Map<string, RolloutSocket & { readonly send: readonly string[] }>();
  /** A socket command's step: open one on an object, or use one opened before. */
  const socketStep = (command: Extract<FuzzCommand, { kind: "open-socket" | "use-socket" }>): RawStep | undefined => {
    if (command.kind === "use-socket") {
      const names = [...sockets.keys()];
      if (names.length === 0) return undefined;
      const name = names[names.length - 1 - (command.socket % names.length)]!;
      const { send } = sockets.get(name)!;
      return { socket: name, ...(send.length > 0 && { send: [...send] }) };
    }
    const endpoint = target.sockets[command.endpoint % target.sockets.length];
    if (endpoint === undefined) return undefined;
    const name = `ws${sockets.size + 1}`;
    const object = objectName(command.object);
    sockets.set(name, { object, hibernatable: endpoint.hibernatable !== false, send: endpoint.send ?? [] });
    return { socket: name, open: fillName(endpoint.open, object), ...(endpoint.headers !== undefined && { headers: { ...endpoint.headers } }), ...(endpoint.send !== undefined && endpoint.send.length > 0 && { send: [...endpoint.send] }) };
  };

  for (const command of rollout.commands) {
    const step = command.kind === "open-socket" || command.kind === "use-socket" ? socketStep(command) : commandStep(command, target, objectName, operation);
    if (step !== undefined) add(step);
  }
  return { steps, sockets };
}

/** A path with the object's name in place of {name} (URL-encoded; a `Class:` prefix is not part of it). */
function fillName(path: string, object: string): string {
  return path.replaceAll("{name}", encodeURIComponent(object.slice(object.indexOf(":") + 1)));
}

/** A workload or clock command's step; operations go through `operation`. */
function commandStep(command: FuzzCommand, target: FuzzTarget, objectName: (index: number) => string, operation: (command: OperationCommand) => RawStep | undefined): RawStep | undefined {
  const method = target.request.method === "GET" ? {} : { method: target.request.method };
  switch (command.kind) {
    case "request":
      return { request: target.request.path, object: objectName(command.object), ...method };
    case "traffic": {
      const during = command.during === null ? undefined : operation(command.during.operation);
      return {
        traffic: command.requests,
        objects: [objectName(command.object)],
        path: target.request.path,
        ...method,
        concurrency: 4,
        ...(during !== undefined && { during: { ...during, ...(command.during!.hold && { hold: "200ms" }) } }),
      };
    }
    case "wait":
      return { wait: command.duration };
    case "idle":
      return { idle: [objectName(command.object)] };
    case "call": {
      const call = target.calls[command.call % Math.max(target.calls.length, 1)];
      if (call === undefined) return undefined;
      const { request, ...options } = call;
      return { request, object: objectName(command.object), ...options };
    }
    case "open-socket":
    case "use-socket":
      return undefined;
    default:
      return operation(command);
  }
}
