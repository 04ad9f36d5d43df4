/**
 * Merges the JUnit reports of a sharded replay (`dosim replay --shard i/n --reporter junit`) into
 * the report the unsharded run gives, byte for byte: the test suites, each one element per line as
 * dosim writes them, are put back in the order of their `id` (the scenario's position in the whole
 * run) and the totals are summed again.
 */
import { fail, ok, type Result } from "../model/errors.js";
import { JUNIT_TAIL, junitHead } from "./replay-junit.js";
import type { ReportText } from "./replay-merge.js";

interface Suite {
  readonly id: number;
  readonly lines: readonly string[];
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
}

const SUITE_OPEN = /^ {2}<testsuite id="(\d+)" .* tests="(\d+)" failures="(\d+)" errors="(\d+)" /;

/** Reads the suites of one report that dosim wrote. */
function readSuites(input: ReportText): Result<Suite[]> {
  const lines = input.text.split("\n");
  const notOurs = fail<Suite[]>("invalid-input", `${input.name} is not a JUnit report written by dosim replay --reporter junit (this dosim); give those files.`);
  if (lines[0] !== junitHead({ tests: 0, failures: 0, errors: 0 })[0] || !lines[1]?.startsWith('<testsuites name="dosim replay" ')) return notOurs;
  if (lines.at(-1) !== "" || lines.at(-2) !== JUNIT_TAIL) return notOurs;
  const suites: Suite[] = [];
  let open: { match: RegExpMatchArray; start: number } | undefined;
  for (let index = 2; index < lines.length - 2; index++) {
    const line = lines[index]!;
    if (open === undefined) {
      const match = SUITE_OPEN.exec(line);
      if (match === null) return notOurs;
      open = { match, start: index };
    } else if (line === "  </testsuite>") {
      const [, id, tests, failures, errors] = open.match.map(Number) as number[];
      suites.push({ id: id!, lines: lines.slice(open.start, index + 1), tests: tests!, failures: failures!, errors: errors! });
      open = undefined;
    }
  }
  return open === undefined ? ok(suites) : notOurs;
}

/** Merges shard reports into the whole run's JUnit report, or says why it cannot. */
export function mergeReplayJunit(inputs: readonly ReportText[]): Result<string> {
  if (inputs.length === 0) return fail("invalid-input", "No reports to merge; name the JUnit reports of every shard.");
  const byId = new Map<number, { suite: Suite; from: string }>();
  for (const input of inputs) {
    const suites = readSuites(input);
    if (!suites.ok) return suites;
    for (const suite of suites.value) {
      const seen = byId.get(suite.id);
      if (seen !== undefined) return fail("invalid-input", `Scenario ${suite.id} of the run is in both ${seen.from} and ${input.name}; give each shard's report once.`);
      byId.set(suite.id, { suite, from: input.name });
    }
  }
  const suites = [...byId.values()].map((entry) => entry.suite).sort((a, b) => a.id - b.id);
  const sum = (key: "tests" | "failures" | "errors"): number => suites.reduce((total, suite) => total + suite[key], 0);
  const lines = [...junitHead({ tests: sum("tests"), failures: sum("failures"), errors: sum("errors") }), ...suites.flatMap((suite) => suite.lines), JUNIT_TAIL];
  return ok(`${lines.join("\n")}\n`);
}
