import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { formatIssue } from "../../src/scenario/issues.js";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import { HEAD, issuesOf, where, yamlText } from "./load-helpers.js";

describe("scenario loader: YAML and schema problems, with positions", () => {
  it("reports YAML syntax errors at their line and column, all of them", () => {
    const issues = issuesOf(["name: x", "versions:", "  A: {}", "  A: {}", "steps:", "  - deploy: [A", "  - wait: 1s"]);
    expect(where(issues)).toEqual([
      { line: 4, column: 3, path: "", code: "yaml-syntax" },
      { line: 7, column: 3, path: "", code: "yaml-syntax" },
    ]);
    expect(issues[0]!.message).toBe("Map keys must be unique");
    expect(issues.every((issue) => issue.file.endsWith("inline.yaml"))).toBe(true);
  });

  it("reports an alias to a missing anchor where it is, and reads anchors that exist", () => {
    const issues = issuesOf(["name: x", "versions:", "  A: { migrations: *v2 }", "steps:", "  - deploy: A"]);
    expect(where(issues)).toEqual([{ line: 3, column: 20, path: "", code: "yaml-syntax" }]);
    expect(issues[0]!.message).toMatch(/^Unresolved alias/);
    const fine = parseScenario(yamlText(["name: x", "versions:", "  A: { migrations: &v2 [{ tag: v2 }] }", "  B: { migrations: *v2 }", "steps:", "  - deploy: A"]), join(process.cwd(), "scenarios", "x.yaml"));
    expect(fine.ok && fine.scenario.versions[1]!.migrations).toEqual([{ tag: "v2" }]);
  });

  it("rejects unknown keys at every level, at the key, with a suggestion", () => {
    const issues = issuesOf([
      "name: inline", //                              1
      "versions:", //                                 2
      "  A: {}", //                                   3
      "  B:", //                                      4
      "    mian: b.ts", //                            5
      "objectz: [foo]", //                            6
      "steps:", //                                    7
      "  - deploy: A", //                             8
      "    mesage: first", //                         9
      "  - deplyo: B@100", //                         10
      "  - request: /", //                            11
      "    expect: { status: 200, refused: 10211 }", // 12
    ]);
    expect(where(issues)).toEqual([
      { line: 5, column: 5, path: "versions.B.mian", code: "unknown-key" },
      { line: 6, column: 1, path: "objectz", code: "unknown-key" },
      { line: 9, column: 5, path: "steps[0].mesage", code: "unknown-key" },
      { line: 10, column: 5, path: "steps[1].deplyo", code: "unknown-key" },
      { line: 12, column: 28, path: "steps[2].expect.refused", code: "unknown-key" },
    ]);
    expect(issues.map((issue) => issue.message)).toEqual([
      'unknown key "mian"; did you mean "main"?',
      'unknown key "objectz"; did you mean "objects"?',
      'unknown key "mesage"; did you mean "message"?',
      'unknown key "deplyo"; did you mean "deploy"?',
      expect.stringMatching(/^unknown key "refused"; expected one of status, statuses, version, /),
    ]);
  });

  it("asks for exactly one action per step", () => {
    const issues = issuesOf([...HEAD, "  - deploy: A", "  - upload: B", "    deploy: B@100", "  - {}", "  - name: lonely"]);
    expect(where(issues)).toEqual([
      { line: 7, column: 5, path: "steps[1]", code: "step-action" },
      { line: 9, column: 5, path: "steps[2]", code: "step-action" },
      { line: 10, column: 5, path: "steps[3]", code: "step-action" },
    ]);
    expect(issues[0]!.message).toBe("a step does one thing, but this one has upload and deploy; split it into separate steps");
    expect(issues[1]!.message).toMatch(/^a step needs exactly one of upload, deploy, rollback, secret, request, traffic, wait, idle, socket, expect$/);
  });

  it("explains wrong types and values in plain words, at the value", () => {
    const issues = issuesOf([
      "name: inline", //                          1
      "versions:", //                             2
      "  A: {}", //                               3
      "  1bad: {}", //                            4
      "codeUpdate: deferd", //                    5
      "steps:", //                                6
      "  - deploy: A", //                         7
      "  - upload: 3", //                         8
      "  - deploy: { B: 20, A: \"80\" }", //      9
      "  - wait: 5", //                           10
      "  - rollback:", //                         11
      "    force: yes", //                        12
      "  - deploy: A@100", //                     13
      "    expect: { refused: 10999 }", //        14
    ]);
    expect(where(issues)).toEqual([
      { line: 4, column: 3, path: 'versions["1bad"]', code: "invalid-value" },
      { line: 5, column: 13, path: "codeUpdate", code: "invalid-value" },
      { line: 8, column: 13, path: "steps[1].upload", code: "invalid-type" },
      { line: 9, column: 25, path: "steps[2].deploy.A", code: "invalid-type" },
      { line: 10, column: 11, path: "steps[3].wait", code: "invalid-type" },
      { line: 12, column: 12, path: "steps[4].force", code: "invalid-type" },
      { line: 14, column: 24, path: "steps[5].expect.refused", code: "invalid-value" },
    ]);
    const messages = issues.map((issue) => issue.message);
    expect(messages[0]).toMatch(/^the key "1bad" is not allowed: a version label starts with a letter/);
    expect(messages[1]).toBe("expected immediate, deferred, deferred 30s, or {mode: deferred, maxDelay: 5m}");
    expect(messages[2]).toBe("expected text, got the number 3");
    expect(messages[3]).toBe('expected a number, got the text "80"');
    expect(messages[4]).toBe("write a duration with its unit, for example 250ms, 30s, 5m or 1h30m");
    expect(messages[5]).toBe('expected true or false, got the text "yes"');
    expect(messages[6]).toMatch(/^expected one of dosim's error codes: 10021, 10211, 10215, 10220, invalid-version-spec, /);
  });

  it("follows the branch of a union that was meant: a map spec with a bad label, a count with a bad bound", () => {
    const issues = issuesOf([...HEAD, "  - deploy: A", "  - upload: B", "  - deploy: { b@: 100 }", "  - expect:", "      resets: { total: { min: -1 } }"]);
    expect(where(issues)).toEqual([
      { line: 8, column: 15, path: 'steps[2].deploy["b@"]', code: "invalid-value" },
      { line: 10, column: 31, path: "steps[3].expect.resets.total.min", code: "invalid-value" },
    ]);
    expect(issues[1]!.message).toBe("must be at least 0");
  });

  it("names a missing key at the mapping that lacks it", () => {
    const issues = issuesOf(["versions: { A: {} }", "steps:", "  - deploy: A", "  - secret: TOKEN", "    versioned: true"]);
    expect(where(issues)).toEqual([
      { line: 1, column: 1, path: "", code: "missing-key" },
      { line: 4, column: 5, path: "steps[1]", code: "missing-key" },
    ]);
    expect(issues.map((issue) => issue.message)).toEqual(['missing key "name"', 'missing key "value"']);
  });

  it("explains the comma trap of flow mappings", () => {
    const issues = issuesOf([...HEAD, "  - deploy: A", "  - upload: B", "  - deploy: B@20,A@80", "    expect: { deployment: B@20,A@80 }"]);
    expect(where(issues)).toEqual([{ line: 9, column: 32, path: 'steps[2].expect["A@80"]', code: "unknown-key" }]);
    expect(issues[0]!.message).toContain('quote the whole deploy spec there, e.g. "B@20,A@80"');
  });

  it("refuses an empty file, a file that is not a mapping, and a missing file", () => {
    expect(where(issuesOf([""]))).toEqual([{ line: 1, column: 1, path: "", code: "missing-key" }]);
    const list = issuesOf(["- deploy: A"]);
    expect(where(list)).toEqual([{ line: 1, column: 1, path: "", code: "invalid-type" }]);
    expect(list[0]!.message).toBe("expected a mapping, got a list");
    const missing = loadScenarioFile("no/such/scenario.yaml");
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(formatIssue(missing.issues[0]!)).toBe("no/such/scenario.yaml:1:1: no such file; give the path of a scenario .yaml file [unreadable-file]");
  });
});

describe("scenario loader: cross-checks", () => {
  it("reports schema and cross-check problems together, in file order", () => {
    const issues = issuesOf([
      ...HEAD, //                                  1-5
      "  - request: /", //                         6   before any deploy
      "  - deploy: A", //                          7
      "  - deploy: B@20,A@80", //                  8   B not uploaded
      "  - upload: 3", //                          9   schema
      "  - upload: B", //                          10
      "  - deploy: B@20,A@70", //                  11  sum
      "  - deploy: C@20,A@80", //                  12  undeclared
      "  - wait: soon", //                         13  schema
      "  - expect: { objects: { foo: Z } }", //    14  undeclared
    ]);
    expect(where(issues)).toEqual([
      { line: 6, column: 14, path: "steps[0].request", code: "step-order" },
      { line: 8, column: 13, path: "steps[2].deploy", code: "step-order" },
      { line: 9, column: 13, path: "steps[3].upload", code: "invalid-type" },
      { line: 11, column: 13, path: "steps[5].deploy", code: "percentage-sum" },
      { line: 12, column: 13, path: "steps[6].deploy", code: "undeclared-label" },
      { line: 13, column: 11, path: "steps[7].wait", code: "invalid-value" },
      { line: 14, column: 31, path: "steps[8].expect.objects.foo", code: "undeclared-label" },
    ]);
    expect(issues[1]!.message).toBe('"B" is deployed before it is uploaded; add "- upload: B" before this step');
    expect(issues[3]!.message).toBe("The percentages add up to 90% but must total exactly 100%. (If this step should be refused, add expect: { refused: percentage-sum }.)");
    expect(issues[4]!.message).toBe('"C" is not a declared version (declared: A, B); declare it under versions');
  });

  it("lets a step that expects a refusal break the rules it is about", () => {
    const lines = [
      ...HEAD,
      "  - deploy: B@20,A@80",
      "    expect: { refused: not-deployed-yet }",
      "  - deploy: A",
      "  - upload: B",
      "  - deploy: A@50,B@30,C@20",
      "    expect: { refused: too-many-versions }",
      '  - deploy: "B@20,A@70"',
      "    expect: { refused: percentage-sum }",
      "  - deploy: B@x",
      "    expect: { refused: invalid-version-spec }",
      "  - secret: TOKEN",
      "    value: two",
      "    expect: { refused: 10215 }",
    ];
    const loaded = parseScenario(yamlText(lines), join(process.cwd(), "scenarios", "inline.yaml"));
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      const bad = loaded.scenario.steps[5]!;
      expect(bad).toMatchObject({ kind: "deploy", spec: "B@x", expect: { refused: "invalid-version-spec" } });
      expect("entries" in bad).toBe(false);
    }
  });

  it("checks the first deploy, full deploys, labels made by secrets, names and shares", () => {
    const issues = issuesOf([
      ...HEAD, //                                                   1-5
      "  - deploy: A@50,B@50", //                                   6  first deploy is full
      "  - deploy: A", //                                           7
      "  - deploy: A@50,B@50", //                                   8  B not uploaded
      "    full: true", //                                          9
      "  - secret: TOKEN", //                                       10
      "    value: x", //                                            11
      "    versioned: true", //                                     12
      "    label: A", //                                            13 taken
      "    name: twice", //                                         14
      "  - secret: TOKEN", //                                       15
      "    value: y", //                                            16
      "    label: A2", //                                           17
      "    name: twice", //                                         18 duplicate name
      "  - deploy: A2@100", //                                      19 fine: A2 exists now
      "  - request: /", //                                          20
      "    override: A3", //                                        21
      "    expect: { share: { A: 50 }, version: A2 }", //            22 no tolerance
    ]);
    expect(where(issues)).toEqual([
      { line: 6, column: 13, path: "steps[0].deploy", code: "not-deployed-yet" },
      { line: 8, column: 13, path: "steps[2].deploy", code: "invalid-version-spec" },
      { line: 13, column: 12, path: "steps[3].label", code: "duplicate-name" },
      { line: 18, column: 11, path: "steps[4].name", code: "duplicate-name" },
      { line: 21, column: 15, path: "steps[6].override", code: "undeclared-label" },
      { line: 22, column: 22, path: "steps[6].expect.share", code: "missing-key" },
    ]);
    expect(issues[0]!.message).toBe("the first deploy of a Worker is a full deploy; it puts one version at 100%: write deploy: A");
  });

  it("refuses a deployment map that selects no version", () => {
    const issues = issuesOf([...HEAD, "  - deploy: A", "  - deploy: {}", "  - expect: { deployment: {} }"]);
    expect(where(issues)).toEqual([
      { line: 7, column: 13, path: "steps[1].deploy", code: "no-versions" },
      { line: 8, column: 27, path: "steps[2].expect.deployment", code: "no-versions" },
    ]);
  });

  it("checks traffic: objects, paths and operations during it", () => {
    const issues = issuesOf([
      ...HEAD,
      "  - deploy: A",
      "  - traffic: 100",
      "    objects: all",
      "    path: /x",
      "    during: { afterRequests: 100, rollback: A, expect: { refused: 10220 } }",
    ]);
    expect(where(issues)).toEqual([
      { line: 8, column: 14, path: "steps[1].objects", code: "invalid-value" },
      { line: 9, column: 11, path: "steps[1].path", code: "invalid-value" },
      { line: 10, column: 30, path: "steps[1].during.afterRequests", code: "invalid-value" },
    ]);
  });

  it("checks that referenced files exist, relative to the scenario", () => {
    const dir = mkdtempSync(join(tmpdir(), "dosim-scenario-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "lonely.yaml");
    writeFileSync(file, yamlText(["name: lonely", "versions:", "  A: { main: src/a.ts }", "steps:", "  - deploy: A"]));
    const loaded = loadScenarioFile(file);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(where(loaded.issues)).toEqual([
      { line: 1, column: 1, path: "worker", code: "file-not-found" },
      { line: 3, column: 14, path: "versions.A.main", code: "file-not-found" },
    ]);
    expect(loaded.issues[0]!.message).toMatch(/^no wrangler config \(wrangler.json, wrangler.jsonc, wrangler.toml\) in this folder or above/);
    writeFileSync(join(dir, "wrangler.jsonc"), "{}");
    writeFileSync(file, yamlText(["name: lonely", "worker: ../elsewhere/wrangler.toml", "versions: { A: }", "steps:", "  - deploy: A"]));
    const again = loadScenarioFile(file);
    expect(again.ok ? [] : where(again.issues)).toEqual([{ line: 2, column: 9, path: "worker", code: "file-not-found" }]);
  });
});
