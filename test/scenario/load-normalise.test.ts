import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/model/limits.js";
import { GUARANTEE_NAMES } from "../../src/scenario/schema.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { HEAD, issuesOf, loadValid, where } from "./load-helpers.js";

describe("scenario loader: what a runner gets", () => {
  it("applies defaults and resolves paths, labels, specs and code updates", () => {
    const scenario = loadValid([
      "name: shape", //                                        1
      "seed: 42", //                                           2
      "objects: 3", //                                         3
      "codeUpdate: { mode: deferred, maxDelay: 1m30s }", //    4
      "limits: { deployableVersionWindow: 10 }", //            5
      "guarantees: all", //                                    6
      "versions:", //                                          7
      "  A:", //                                               8
      "  B: { tag: beta, vars: { GREETING: Hi }, migrations: [{ tag: v2 }] }", // 9
      "steps:", //                                             10
      "  - deploy: A", //                                      11
      "  - upload: B", //                                      12
      "    count: 3", //                                       13
      "  - deploy: { B: 20, A: 80 }", //                       14
      "    codeUpdate: immediate", //                          15
      "    expect: { resets: { step: 0, perObject: { object-1: { max: 1 } } } }", // 16
      "  - secret: TOKEN", //                                  17
      "    value: t", //                                       18
      "    versioned: true", //                                19
      "    label: B2", //                                      20
      "  - rollback:", //                                      21
      "  - wait: 2m", //                                       22
      "  - request: /objects/object-1", //                     23
      "    override: B2", //                                   24
      "    expect: { statuses: { 200: 1 }, version: A }", //   25
      "  - traffic: 100", //                                   26
      "    keys: 2", //                                        27
      "    during: { deploy: B2@100 }", //                     28
      "  - idle: object-2", //                                 29
      "  - expect: { deployment: B2@100 }", //                 30
    ]);
    expect(scenario).toMatchObject({
      name: "shape",
      seed: "42",
      file: join(REPO_ROOT, "scenarios", "inline.yaml"),
      workerConfig: join(REPO_ROOT, "wrangler.toml"),
      objects: ["object-1", "object-2", "object-3"],
      labels: ["A", "B", "B2"],
      codeUpdate: { mode: "deferred", maxDelayMs: 90_000 },
      limits: { ...DEFAULT_LIMITS, deployableVersionWindow: 10 },
      guarantees: [...GUARANTEE_NAMES],
    });
    expect(scenario.versions).toEqual([
      { label: "A", tag: "A", vars: {}, secrets: {}, migrations: [], at: { line: 8, column: 3, path: "versions.A" } },
      { label: "B", tag: "beta", vars: { GREETING: "Hi" }, secrets: {}, migrations: [{ tag: "v2" }], at: { line: 9, column: 3, path: "versions.B" } },
    ]);
    const [first, upload, split, secret, rollback, wait, request, traffic, idle, check] = scenario.steps;
    expect(first).toEqual({
      kind: "deploy",
      index: 0,
      at: { line: 11, column: 5, path: "steps[0]" },
      spec: "A@100",
      entries: [{ label: "A", percentage: 100 }],
      full: true,
      codeUpdate: { mode: "deferred", maxDelayMs: 90_000 },
    });
    expect(upload).toMatchObject({ kind: "upload", label: "B", count: 3 });
    expect(split).toMatchObject({
      kind: "deploy",
      spec: "B@20,A@80",
      full: false,
      codeUpdate: { mode: "immediate" },
      expect: { resets: { step: { min: 0, max: 0 }, perObject: { "object-1": { min: 0, max: 1 } } } },
    });
    expect(secret).toMatchObject({ kind: "secret", secretName: "TOKEN", value: "t", versioned: true, label: "B2" });
    expect(rollback).toEqual({ kind: "rollback", index: 4, at: { line: 21, column: 5, path: "steps[4]" }, force: false, codeUpdate: { mode: "deferred", maxDelayMs: 90_000 } });
    expect(wait).toMatchObject({ kind: "wait", durationMs: 120_000 });
    expect(request).toMatchObject({
      kind: "request",
      request: { path: "/objects/object-1", method: "GET", headers: {}, override: "B2" },
      count: 1,
      expect: { statuses: { 200: { min: 1, max: 1 } }, version: "A" },
    });
    expect(traffic).toMatchObject({
      kind: "traffic",
      requests: 100,
      path: "/",
      method: "GET",
      keys: ["key-1", "key-2"],
      objects: [],
      concurrency: 32,
      during: { kind: "deploy", afterRequests: 50, spec: "B2@100", full: false, at: { line: 28, column: 13, path: "steps[7].during" } },
    });
    expect(idle).toMatchObject({ kind: "idle", objects: ["object-2"] });
    expect(check).toMatchObject({ kind: "expect", expect: { deployment: [{ label: "B2", percentage: 100 }] } });
    expect(scenario.locations["steps[2].expect.resets.step"]).toEqual({ line: 16, column: 31, path: "steps[2].expect.resets.step" });
    expect(JSON.parse(JSON.stringify(scenario))).toEqual(scenario);
  });

  it("defaults code updates to deferred with the limits' delay (300 s unless changed), as the platform does", () => {
    const plain = loadValid([...HEAD, "  - deploy: A", "  - upload: B", "  - deploy: B@100", "  - rollback: A"]);
    expect(plain.codeUpdate).toEqual({ mode: "deferred", maxDelayMs: 300_000 });
    for (const step of plain.steps) {
      if (step.kind === "deploy" || step.kind === "rollback") expect(step.codeUpdate).toEqual({ mode: "deferred", maxDelayMs: 300_000 });
    }
    const shorter = loadValid(["limits: { defaultDeferredDelayMs: 1000 }", ...HEAD, "  - deploy: A"]);
    expect(shorter.codeUpdate).toEqual({ mode: "deferred", maxDelayMs: 1000 });
    const immediate = loadValid(["codeUpdate: immediate", ...HEAD, "  - deploy: A"]);
    expect(immediate.steps[0]).toMatchObject({ kind: "deploy", codeUpdate: { mode: "immediate" } });
  });

  // wrangler's flag form (`deferred 30s`) is read with the flag's rules and wording, and a plain
  // `secret put` step, which deploys, takes a strategy like deploy and rollback.
  it("reads wrangler's `deferred <duration>` and gives secret steps a strategy", () => {
    const scenario = loadValid([...HEAD, "  - deploy: A", "    codeUpdate: deferred 30s", "  - secret: TOKEN", "    value: x", "    codeUpdate: immediate"]);
    expect(scenario.steps[0]).toMatchObject({ kind: "deploy", codeUpdate: { mode: "deferred", maxDelayMs: 30_000 } });
    expect(scenario.steps[1]).toMatchObject({ kind: "secret", codeUpdate: { mode: "immediate" } });
    const issues = issuesOf([...HEAD, "  - deploy: A", "    codeUpdate: deferred 2d"]);
    expect(where(issues)).toEqual([{ line: 7, column: 17, path: "steps[0].codeUpdate", code: "invalid-code-update" }]);
    expect(issues[0]!.message).toContain("must be between 0 seconds and 24 hours");
  });

  it("validates operations during traffic against the action they name", () => {
    const issues = issuesOf([...HEAD, "  - deploy: A", "  - traffic: 10", "    during: { deploy: 5 }", "  - traffic: 10", "    during: { wait: 1s }"]);
    expect(where(issues)).toEqual([
      { line: 8, column: 23, path: "steps[1].during.deploy", code: "invalid-type" },
      { line: 10, column: 13, path: "steps[2].during", code: "step-action" },
    ]);
    expect(issues[1]!.message).toBe("an operation during traffic needs exactly one of upload, deploy, rollback, secret");
  });
});
