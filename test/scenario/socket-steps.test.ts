/**
 * `socket` steps: a scenario opens WebSockets on an object, exchanges messages, sees a deployment's
 * reset close them (src/model/socket-close.ts), and sees an alarm set under A ring on B
 * (src/model/alarms.ts); a socket's opening request counts under the deployment it ran in. Also the
 * input errors of a socket step.
 */
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/scenario/issues.js";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";

const FILE = "test/fixtures/workers/kv-alarm/follow.yaml";

describe("socket steps", () => {
  it("replay messages, a reset's close and an alarm that follows its object", async () => {
    const loaded = loadScenarioFile(FILE);
    expect(loaded.ok ? [] : loaded.issues.map((issue) => formatIssue(issue))).toEqual([]);
    if (!loaded.ok) return;
    const { report } = await runScenario(loaded.scenario, { file: FILE });
    expect(report.expectations.filter((expectation) => !expectation.passed)).toEqual([]);
    const names = report.expectations.map((expectation) => expectation.name);
    expect(names).toEqual(expect.arrayContaining(["socket.chat.messages[0]", "socket.chat.closed", "socket.plain.closed", "socket.again.messages[0]"]));
    expect(report.steps.filter((step) => step.kind === "socket").map((step) => step.summary)[0]).toBe("socket chat, open /kitchen/socket, send ×1");
  });

  it("count a socket's opening request under the deployment it ran in, not the one after it", async () => {
    const file = "test/fixtures/workers/rpc-sockets/socket-then-deploy.yaml";
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) throw new Error(loaded.issues.map((issue) => formatIssue(issue)).join("\n"));
    const { report } = await runScenario(loaded.scenario, { file });
    expect(report.expectations.filter((expectation) => !expectation.passed)).toEqual([]);
    expect(report.expectations.map((expectation) => expectation.name)).toEqual(expect.arrayContaining(["served.lobby", "guarantee.same-version-within-deployment"]));
  });

  it("refuse a socket used before it is opened, or opened twice", () => {
    const text = [
      "name: bad-sockets",
      "versions: { A: {} }",
      "steps:",
      "  - deploy: A",
      "  - socket: nowhere",
      "    send: [hi]",
      "  - socket: twice",
      "    open: /a/socket",
      "  - socket: twice",
      "    open: /a/socket",
    ].join("\n");
    const loaded = parseScenario(text, "test/fixtures/workers/kv-alarm/bad.yaml");
    expect(loaded.ok).toBe(false);
    const messages = loaded.ok ? [] : loaded.issues.map((issue) => formatIssue(issue));
    expect(messages.some((line) => /steps\[1\]\.socket: no earlier step opens a socket named "nowhere"/.test(line))).toBe(true);
    expect(messages.some((line) => /steps\[3\]\.socket: a socket named "twice" is already open/.test(line))).toBe(true);
  });
});
