/**
 * JUnit XML for CI systems: one test suite per scenario, one test case per expectation, failures
 * carrying expected vs actual, and a scenario that could not be replayed as one test case with an
 * `<error>`. Times are always 0 so the file is the same in every run. Each suite's `id` is its
 * scenario's position in the whole run, so the reports of a sharded run merge back in order; every
 * element sits on a line of its own (newlines in text are escaped) so that merging reads them back.
 */
import { expectationTotals, showValue, type ReplayReport, type ScenarioReport } from "./replay-report.js";

/** Escapes text for an attribute or element; newlines too, so each element stays on one line. */
export function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** The first two lines of a report: the XML declaration and the `<testsuites>` element with the run's totals. */
export function junitHead(totals: { tests: number; failures: number; errors: number }): string[] {
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="dosim replay" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="0">`];
}

/** The closing line of a report. */
export const JUNIT_TAIL = "</testsuites>";

function suiteLines(scenario: ScenarioReport, id: number): string[] {
  const suite = (tests: number, failures: number, errors: number): string =>
    `  <testsuite id="${id}" name="${xml(scenario.name)}" file="${xml(scenario.file)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="0">`;
  if (scenario.error !== undefined) {
    const { code, message } = scenario.error;
    return [
      suite(1, 0, 1),
      `    <testcase classname="${xml(scenario.name)}" name="replay" time="0">`,
      `      <error message="${xml(message)}" type="${xml(code)}">${xml(message)}</error>`,
      `    </testcase>`,
      `  </testsuite>`,
    ];
  }
  const failures = scenario.expectations.filter((expectation) => !expectation.passed).length;
  const lines = [suite(scenario.expectations.length, failures, 0)];
  for (const expectation of scenario.expectations) {
    const name = xml(`step ${expectation.step}: ${expectation.name}`);
    if (expectation.passed) {
      lines.push(`    <testcase classname="${xml(scenario.name)}" name="${name}" time="0"/>`);
      continue;
    }
    const detail = `expected ${showValue(expectation.expected)}, got ${showValue(expectation.actual)}`;
    lines.push(`    <testcase classname="${xml(scenario.name)}" name="${name}" time="0">`);
    lines.push(`      <failure message="${xml(expectation.message || detail)}" type="expectation">${xml(detail)}</failure>`);
    lines.push(`    </testcase>`);
  }
  lines.push(`  </testsuite>`);
  return lines;
}

/** Renders the report as JUnit XML. */
export function renderReplayJunit(report: ReplayReport): string {
  const { passed, failed, errored } = expectationTotals(report);
  const position = new Map(report.files.map((file, index) => [file, index]));
  const lines = junitHead({ tests: passed + failed + errored, failures: failed, errors: errored });
  report.scenarios.forEach((scenario, index) => lines.push(...suiteLines(scenario, position.get(scenario.file) ?? index)));
  lines.push(JUNIT_TAIL);
  return `${lines.join("\n")}\n`;
}
