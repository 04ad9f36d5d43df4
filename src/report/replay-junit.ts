/**
 * JUnit XML for CI systems: one test suite per scenario, one test case per expectation, failures
 * carrying expected vs actual. Times are always 0 so the file is the same in every run.
 */
import { expectationTotals, showValue, type ReplayReport } from "./replay-report.js";

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** Renders the report as JUnit XML. */
export function renderReplayJunit(report: ReplayReport): string {
  const { passed, failed } = expectationTotals(report);
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="dosim replay" tests="${passed + failed}" failures="${failed}" errors="0" time="0">`];
  for (const scenario of report.scenarios) {
    const failures = scenario.expectations.filter((expectation) => !expectation.passed).length;
    lines.push(`  <testsuite name="${xml(scenario.name)}" file="${xml(scenario.file)}" tests="${scenario.expectations.length}" failures="${failures}" errors="0" skipped="0" time="0">`);
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
  }
  lines.push(`</testsuites>`);
  return `${lines.join("\n")}\n`;
}
