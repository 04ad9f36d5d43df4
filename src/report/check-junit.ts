/**
 * `dosim check` as JUnit XML: one test suite, one test case per planned step and rollback (its
 * failure lists what failed), and one per pair of adjacent versions. Times are 0 so the file is
 * the same in every run.
 */
import type { CheckReport } from "./check-report.js";
import { xml } from "./replay-junit.js";

/** Renders the report as JUnit XML. */
export function renderCheckJunit(report: CheckReport): string {
  const cases = [
    ...report.steps.map((step) => ({ name: step.kind === "rollback" ? `rollback to ${step.spec}` : step.kind === "start" ? `${step.spec} before the plan` : `deploy ${step.spec}`, problems: step.problems })),
    ...report.pairs.map((pair) => ({ name: `${pair.older} → ${pair.newer}`, problems: pair.safe ? [] : pair.advice.length > 0 ? pair.advice : ["unsafe"] })),
  ];
  const failures = cases.filter((test) => test.problems.length > 0).length;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="dosim check" tests="${cases.length}" failures="${failures}" errors="0" time="0">`,
    `  <testsuite name="${xml(report.name)}" file="${xml(report.file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="0">`,
  ];
  for (const test of cases) {
    if (test.problems.length === 0) {
      lines.push(`    <testcase classname="${xml(report.name)}" name="${xml(test.name)}" time="0"/>`);
      continue;
    }
    lines.push(`    <testcase classname="${xml(report.name)}" name="${xml(test.name)}" time="0">`);
    lines.push(`      <failure message="${xml(test.problems[0]!)}" type="unsafe">${xml(test.problems.join("\n"))}</failure>`);
    lines.push(`    </testcase>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`);
  return `${lines.join("\n")}\n`;
}
