/**
 * The WebSockets and calls of generated rollouts, without workerd: every rollout with them (and
 * every sub-list of its commands, which is what shrinking tries) loads as a scenario; the oracle
 * expects a socket closed with 1006 exactly when its object's instance ended, and open otherwise;
 * calls must not fail but with the reset error; the fuzz file's block is checked with positions.
 */
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rolloutArbitrary, type FuzzCommand } from "../../src/fuzz/commands.js";
import { parseFuzzFile } from "../../src/fuzz/load.js";
import { oracleContext, rolloutScenario } from "../../src/fuzz/scenario-file.js";
import { resolveTarget } from "../../src/fuzz/target.js";
import { formatIssue } from "../../src/scenario/issues.js";
import type { ScenarioStep } from "../../src/scenario/types.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const folder = join(REPO_ROOT, "test/fixtures/workers/rpc-sockets");
const file = join(folder, "generated.yaml");
const loaded = resolveTarget({ scenario: join(folder, "fuzz.yaml"), version: [], path: "/rooms/{name}", method: "POST", countField: "count" });
const target = { ...loaded, sockets: [...loaded.sockets, { open: "/rooms/{name}/plain-socket", hibernatable: false }] };
const context = oracleContext(target);
const offer = { sockets: target.sockets.length, calls: target.calls.length };

/** The steps of a rollout of these commands (the first deploy comes on top). */
function stepsOf(commands: readonly FuzzCommand[]): readonly ScenarioStep[] {
  return rolloutScenario({ scenarioSeed: 1, commands }, target, context, { file }).scenario.steps;
}

/** The `closed` a socket step expects (undefined: not checked). */
function closedAt(steps: readonly ScenarioStep[], index: number): unknown {
  const step = steps[index]!;
  return step.kind === "socket" ? step.socketExpect.closed : "not a socket step";
}

describe("generated WebSockets and calls", () => {
  it("always load as scenario steps, and so does every sub-list shrinking may try", () => {
    const withSubList = rolloutArbitrary(10, offer).chain((rollout) => fc.subarray([...rollout.commands]).map((commands) => ({ rollout, commands })));
    fc.assert(
      fc.property(withSubList, ({ rollout, commands }) => {
        for (const tried of [rollout.commands, commands]) {
          const { scenario } = rolloutScenario({ ...rollout, commands: tried }, target, context, { file });
          for (const step of scenario.steps) {
            if (step.kind === "socket" && step.socketExpect.closed !== false) expect(step.send).toEqual([]);
            if (step.kind === "request" && step.request.path === "/rooms/{name}/read") expect(step.expect?.failures).toEqual({ other: { min: 0, max: 0 }, lost: { min: 0, max: 0 } });
          }
        }
      }),
      { seed: 5, numRuns: 30 },
    );
  });

  it("expect a socket closed as a reset closes it once its object moves, and open when it does not", () => {
    const steps = stepsOf([
      { kind: "upload", version: 0 },
      { kind: "open-socket", endpoint: 0, object: 0 },
      { kind: "open-socket", endpoint: 0, object: 1 },
      { kind: "deploy", first: 0, second: 1, percent: 100, codeUpdate: "immediate" },
      { kind: "use-socket", socket: 1 },
      { kind: "use-socket", socket: 0 },
    ]);
    expect(steps.map((step) => step.kind)).toEqual(["deploy", "upload", "socket", "socket", "deploy", "socket", "socket"]);
    expect(closedAt(steps, 2)).toBe(false);
    expect(closedAt(steps, 5)).toEqual({ code: 1006, reason: "" });
    expect(closedAt(steps, 6)).toEqual({ code: 1006, reason: "" });
    // A deployment that leaves the objects where they are keeps their sockets open.
    const kept = stepsOf([{ kind: "open-socket", endpoint: 0, object: 0 }, { kind: "rollback", target: 0, force: true, codeUpdate: "immediate" }, { kind: "use-socket", socket: 0 }]);
    expect(closedAt(kept, kept.length - 1)).toBe(false);
  });

  it("follow the object's lifecycle: a hibernatable socket's object hibernates after 10 s, a standard one's does not", () => {
    const hibernatable = stepsOf([{ kind: "open-socket", endpoint: 0, object: 0 }, { kind: "wait", duration: "15s" }, { kind: "use-socket", socket: 0 }]);
    expect(closedAt(hibernatable, 3)).toEqual({ code: 1006, reason: "" });
    const standard = stepsOf([{ kind: "open-socket", endpoint: 1, object: 0 }, { kind: "wait", duration: "15s" }, { kind: "use-socket", socket: 0 }, { kind: "wait", duration: "6m" }, { kind: "use-socket", socket: 0 }]);
    expect(closedAt(standard, 3)).toBe(false);
    expect(closedAt(standard, 5)).toEqual({ code: 1006, reason: "" });
  });

  it("leave a socket unchecked while its reset drains held calls, until the clock moves", () => {
    const held = stepsOf([
      { kind: "upload", version: 0 },
      { kind: "open-socket", endpoint: 0, object: 0 },
      { kind: "traffic", object: 0, requests: 20, during: { operation: { kind: "deploy", first: 0, second: 1, percent: 100, codeUpdate: "immediate" }, hold: true } },
      { kind: "use-socket", socket: 0 },
      { kind: "wait", duration: "5s" },
      { kind: "use-socket", socket: 0 },
    ]);
    expect(closedAt(held, 4)).toBeUndefined();
    expect(closedAt(held, 6)).toEqual({ code: 1006, reason: "" });
  });

  it("send calls to the declared routes, each expected to fail only with the reset error", () => {
    const steps = stepsOf([{ kind: "call", call: 0, object: 1 }]);
    expect(steps[1]).toMatchObject({ kind: "request", request: { path: "/rooms/{name}/read", method: "GET", object: "attic" }, expect: { failures: { other: { min: 0, max: 0 }, lost: { min: 0, max: 0 } } } });
  });
});

describe("the fuzz file's block", () => {
  it("is checked like the rest of the file, each problem with its file, line, column and path", () => {
    const text = ["name: bad", "versions: { A: {} }", "steps:", "  - deploy: A", "fuzz:", "  sockets:", "    - open: /rooms/socket", "      hibernate: true", "  calls:", "    - request: /rooms/{name}", "      method: FETCH"].join("\n");
    const result = parseFuzzFile(text, join(folder, "bad.yaml"));
    const messages = result.ok ? [] : result.issues.map((issue) => formatIssue(issue));
    expect(messages.some((line) => /bad\.yaml:7:\d+: fuzz\.sockets\[0\]\.open: a socket path starts with \/ and holds \{name\}/.test(line))).toBe(true);
    expect(messages.some((line) => /bad\.yaml:8:\d+: fuzz\.sockets\[0\]/.test(line) && line.includes("hibernate"))).toBe(true);
    expect(messages.some((line) => /bad\.yaml:11:\d+: fuzz\.calls\[0\]\.method/.test(line))).toBe(true);
  });

  it("gives the target its sockets and calls", () => {
    expect(loaded.sockets).toEqual([{ open: "/rooms/{name}/socket", send: ["hello"] }]);
    expect(loaded.calls).toEqual([{ request: "/rooms/{name}/read" }]);
  });
});
