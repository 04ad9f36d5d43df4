/**
 * `dosim plan`. The report and its views are checked in this process (in-process.ts: the
 * command's own option parsing and output); the built binary runs where it is the point: the
 * namespace from ./wrangler.toml and the JSON on stdout (its bytes against the snapshot), a
 * refusal on stderr with exit code 2 after main.ts joined the flag's two words, an unknown flag.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createObjectIdFactory } from "../../src/model/object-ids.js";
import { objectSlotFromId } from "../../src/model/object-slots.js";
import { cumulativeBounds, entryIndexForSlot } from "../../src/model/assignment.js";
import { runDosim, type CliRun } from "../helpers/run-cli.js";
import { planInProcess } from "./in-process.js";

const DOCS_STEPS = ["--step", "A@100", "--step", "B@20,A@80", "--step", "B@50,A@50", "--step", "B@100"];

/** The report `dosim plan --json <args>` prints, made in this process (see in-process.ts). */
async function planJson(args: string[]) {
  return reportOf(await planInProcess(["--json", ...args]));
}

function reportOf(run: CliRun) {
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

/** The built binary's run of the docs' progression as JSON: checked as a report, and as bytes against the snapshot. */
let docsRun: Promise<CliRun> | undefined;
const docsJson = () => (docsRun ??= runDosim(["plan", "--json", "--names", "foo,bar,baz", ...DOCS_STEPS]));

describe("dosim plan", () => {
  it("derives the namespace from ./wrangler.toml and prints the docs' progression as JSON", async () => {
    const report = reportOf(await docsJson());
    expect(report.schema).toBe("dosim.plan/v1");
    expect(report.namespace).toBe("hello-Counter");
    expect(report.labels).toEqual(["A", "B"]);
    expect(report.steps.map((step: { spec: string }) => step.spec)).toEqual(["A@100", "B@20,A@80", "B@50,A@50", "B@100"]);
    expect(report.objects.map((object: { name: string }) => object.name)).toEqual(["foo", "bar", "baz"]);
    expect(report.totals.maxResetsPerObject).toBeLessThanOrEqual(1);
    expect(report.guarantees.every((guarantee: { holds: boolean }) => guarantee.holds)).toBe(true);
  });

  it("defers code updates by default, as the platform does, and keeps immediate when asked", async () => {
    const modes = async (extra: string[]) => (await planJson(["--names", "foo", ...extra, ...DOCS_STEPS])).steps.map((step: { codeUpdate: string }) => step.codeUpdate);
    expect(await modes([])).toEqual(["deferred", "deferred", "deferred", "deferred"]);
    expect(await modes(["--durable-objects-code-update-mode", "immediate"])).toEqual(["immediate", "immediate", "immediate", "immediate"]);
    expect(await modes(["--durable-objects-code-update-mode", "deferred", "30s"])).toEqual(["deferred", "deferred", "deferred", "deferred"]);
  });

  it("assigns each object by its workerd id's slot against the listed percentages", async () => {
    const report = await planJson(["--names", "foo,bar,baz,qux", "--namespace", "hello-Counter", ...DOCS_STEPS]);
    const ids = createObjectIdFactory("hello-Counter");
    const specs = [[["A", 100]], [["B", 20], ["A", 80]], [["B", 50], ["A", 50]], [["B", 100]]] as const;
    for (const object of report.objects as { name: string; versions: string[] }[]) {
      const slot = objectSlotFromId(ids.idFromName(object.name));
      const expected = specs.map((entries) => {
        const bounds = cumulativeBounds(entries.map(([, percentage]) => ({ percentage })));
        return entries[entryIndexForSlot(bounds, slot)]![0];
      });
      expect(object.versions).toEqual(expected);
    }
  });

  it("reads names from a file and summarises many objects with realised shares", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dosim-plan-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "names.txt");
    writeFileSync(file, Array.from({ length: 2000 }, (_, index) => `room-${index}`).join("\n"));
    const report = await planJson(["--names-file", file, "--namespace", "chat-Room", "--step", "A@100", "--step", "B@25,A@75"]);
    expect(report.objectCount).toBe(2000);
    expect(report.objects).toBeUndefined();
    const b = report.steps[1].versions.find((version: { label: string }) => version.label === "B");
    expect(b.requestedPercentage).toBe(25);
    expect(Math.abs(b.realisedPercentage - 25)).toBeLessThan(5);
    expect(report.steps[1].moved).toBe(b.objects);
  });

  it("warns about reordering with the extra moves it costs", async () => {
    const report = await planJson(["--objects", "5000", "--namespace", "hello-Counter", "--step", "A@100", "--step", "B@20,A@80", "--step", "A@50,B@50"]);
    const warning = report.steps[2].warnings[0];
    expect(warning.code).toBe("reordered-versions");
    expect(warning.extraMoves).toBeGreaterThan(0);
  });

  it("accepts percentages with more than 3 decimals, as the platform does", async () => {
    const report = await planJson(["--names", "foo", "--namespace", "hello-Counter", "--step", "A@100", "--step", "B@20.0001,A@79.9999"]);
    expect(report.steps[1].versions.map((version: { requestedPercentage: number }) => version.requestedPercentage)).toEqual([20.0001, 79.9999]);
  });

  it("prints the docs-style table for a few objects", async () => {
    const run = await planInProcess(["--names", "foo,bar,baz", ...DOCS_STEPS]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Version B: 20%");
    expect(run.stdout).toContain('"foo"');
    expect(run.stdout).toMatch(/Resets: 3 in all; 3 object\(s\) reset, at most 1 time\(s\) each\./);
  });

  it.each([
    [["--step", "A@100", "--step", "B@20,A@70"], "percentage-sum"],
    [["--step", "A@100", "--step", "A@50,B@40,C@10"], "too-many-versions"],
    [["--step", "A@100", "--step", "B@x"], "invalid-version-spec"],
    [["--versions", "A,B", "--step", "A@100", "--step", "C@100"], "unknown-version"],
    [["--step", "B@20,A@80"], "not-deployed-yet"],
    [["--step", "A@100", "--step", "B@100.5,A@0"], "invalid-percentage"],
  ])("refuses bad input with exit code 2: %j", async (steps, code) => {
    const run = await planInProcess(["--names", "foo", "--namespace", "hello-Counter", ...steps]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`[${code}]`);
  });

  // wrangler 4.141+ (durable-objects-code-update.ts): the flag's value, its error wording, and the
  // precedence flag → durable_objects.code_update_strategy in the config → default.
  // The second refusal goes through the binary: main.ts joins the flag's two words, and prints a
  // refusal on stderr with exit code 2 and nothing on stdout.
  it("reads --durable-objects-code-update-mode as wrangler does, and refuses with its wording", async () => {
    const flag = ["--names", "foo", "--namespace", "x-Y", "--step", "A@100", "--durable-objects-code-update-mode"];
    const sometimes = await planInProcess([...flag, "sometimes"]);
    expect(sometimes.status).toBe(2);
    expect(sometimes.stderr).toContain('The argument "--durable-objects-code-update-mode" must be either "immediate" or "deferred <duration>".');
    const twoDays = await runDosim(["plan", ...flag, "deferred", "2d"]);
    expect(twoDays.status).toBe(2);
    expect(twoDays.stdout).toBe("");
    expect(twoDays.stderr).toBe('dosim: The duration passed to "--durable-objects-code-update-mode deferred" must be between 0 seconds and 24 hours and use millisecond precision. [invalid-code-update]\n');
  });

  it("takes the config's code_update_strategy unless the flag says otherwise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dosim-plan-"));
    try {
      writeFileSync(join(dir, "worker.js"), "export class Room {}\nexport default {};\n");
      const config = join(dir, "wrangler.toml");
      writeFileSync(
        config,
        'name = "chat"\nmain = "worker.js"\ncompatibility_date = "2026-04-01"\n[durable_objects]\nbindings = [{ name = "ROOM", class_name = "Room" }]\ncode_update_strategy = { mode = "immediate" }\n',
      );
      const modes = async (extra: string[]) => (await planJson(["--names", "foo", "--config", config, "--step", "A@100", ...extra])).steps.map((step: { codeUpdate: string }) => step.codeUpdate);
      expect(await modes([])).toEqual(["immediate"]);
      expect(await modes(["--durable-objects-code-update-mode", "deferred", "30s"])).toEqual(["deferred"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the first class the migrations declare for a Worker that binds none (ctx.exports)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dosim-plan-"));
    try {
      writeFileSync(join(dir, "worker.js"), "export class Room {}\nexport default {};\n");
      const config = join(dir, "wrangler.toml");
      writeFileSync(config, 'name = "chat"\nmain = "worker.js"\ncompatibility_date = "2026-04-01"\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["Room"]\n');
      const report = await planJson(["--names", "foo", "--config", config, "--step", "A@100"]);
      expect(report.namespace).toBe("chat-Room");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a missing object source and unknown flags with exit code 2", async () => {
    expect((await planInProcess(["--step", "A@100", "--namespace", "x"])).status).toBe(2);
    expect((await runDosim(["plan", "--names", "foo", "--step", "A@100", "--bogus"])).status).toBe(2);
  });
});

describe("dosim plan --json is a stable format", () => {
  it("prints the same bytes as the committed snapshot for the docs' progression", async () => {
    const run = await docsJson();
    expect(run.status).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot("__snapshots__/plan-docs.json");
  });
});
