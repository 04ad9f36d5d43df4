/**
 * `socket` steps as written → as the runner reads them. A socket is opened once by name (`open`)
 * and used by that name afterwards; using a name no earlier step opened is an input error.
 */
import type { CheckContext, Path } from "./check-context.js";
import { requireDeployed, type Progress, type StepHead } from "./normalize-operations.js";
import type { StepFile } from "./schema.js";
import type { SocketStep } from "./types.js";

type SocketFile = Extract<StepFile, Record<"socket", unknown>>;

/** Socket names opened so far, per file being checked. */
const opened = new WeakMap<CheckContext, Set<string>>();

/** Normalises one `socket` step. */
export function socketStep(ctx: CheckContext, progress: Progress, head: StepHead, step: SocketFile, path: Path): SocketStep {
  let names = opened.get(ctx);
  if (names === undefined) opened.set(ctx, (names = new Set()));
  if (step.open !== undefined) {
    requireDeployed(ctx, progress, [...path, "open"], "a socket");
    if (names.has(step.socket)) ctx.report([...path, "socket"], `a socket named "${step.socket}" is already open; give this one another name`, "invalid-value");
    names.add(step.socket);
  } else if (!names.has(step.socket)) {
    ctx.report([...path, "socket"], `no earlier step opens a socket named "${step.socket}"; open it first (open: /path)`, "invalid-value");
  }
  const expect = step.expect;
  const closed = expect?.closed;
  return {
    kind: "socket",
    ...head,
    socket: step.socket,
    ...(step.open !== undefined && { open: { path: step.open, headers: step.headers ?? {} } }),
    send: step.send ?? [],
    close: step.close ?? false,
    socketExpect: {
      ...(expect?.messages !== undefined && { messages: expect.messages }),
      ...(closed !== undefined && { closed: typeof closed === "boolean" ? closed : { code: closed.code, ...(closed.reason !== undefined && { reason: closed.reason }) } }),
    },
  };
}
