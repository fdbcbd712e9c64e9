#!/usr/bin/env node
// Judges an Apex test run: fails when a test failed or org-wide coverage is under the minimum.
//
// Usage: node scripts/org/coverage-check.mjs <result> [min-coverage=90]
//   <result> is what `sf apex run test --code-coverage --result-format json` produced: the --output-dir
//   (its test-run-id.txt names test-result-<id>.json), one such file, or what `--json` printed
//   ({ status, result: { summary, tests, coverage } }).
// Exit codes: 0 passed, 1 failed tests or low coverage, 3 unreadable result.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function readResult(path) {
  let file = path;
  if (statSync(path).isDirectory()) {
    const idFile = join(path, 'test-run-id.txt');
    const id = existsSync(idFile) ? readFileSync(idFile, 'utf8').trim() : '';
    file = join(path, id ? `test-result-${id}.json` : 'test-result.json');
    if (!existsSync(file)) {
      const hint = id ? ` (did the run finish within --wait? fetch it with: sf apex get test --test-run-id ${id})` : '';
      throw new Error(`no test result in ${path}${hint}`);
    }
  }
  const json = JSON.parse(readFileSync(file, 'utf8'));
  return json.result ?? json;
}

/** "93%" or "92.5%" -> 93 or 92.5; undefined when absent. */
function percent(value) {
  const n = Number.parseFloat(String(value ?? ''));
  return Number.isFinite(n) ? n : undefined;
}

function orgWideCoverage(result) {
  const { summary = {}, coverage } = result;
  const stated =
    percent(summary.orgWideCoverage) ?? percent(coverage?.summary?.orgWideCoverage) ?? percent(summary.testRunCoverage);
  if (stated !== undefined) return stated;
  // No percentage given: add up the per-class coverage (rounded down to 0.01%).
  const classes = coverage?.coverage ?? [];
  const total = classes.reduce((sum, c) => sum + (c.totalLines ?? 0), 0);
  const covered = classes.reduce((sum, c) => sum + (c.totalCovered ?? 0), 0);
  return total > 0 ? Math.floor((covered / total) * 10000) / 100 : undefined;
}

const [path, minArg = '90'] = process.argv.slice(2);
const min = Number(minArg);
if (!path || !Number.isFinite(min)) {
  console.error('Usage: node scripts/org/coverage-check.mjs <result-dir-or-json> [min-coverage=90]');
  process.exit(3);
}

let result;
try {
  result = readResult(path);
} catch (error) {
  console.error(`FAIL: cannot read the Apex test result: ${error.message}`);
  process.exit(3);
}

const summary = result.summary ?? {};
const failed = (result.tests ?? []).filter((t) => t.Outcome !== 'Pass' && t.Outcome !== 'Skip');
const failing = Math.max(failed.length, Number(summary.failing) || 0);
const coverage = orgWideCoverage(result);

console.log(
  `Apex tests: ${summary.testsRan ?? '?'} ran, ${summary.passing ?? '?'} passed, ${failing} failed` +
    `; org-wide coverage ${coverage === undefined ? 'unknown' : `${coverage}%`} (minimum ${min}%)`
);
for (const t of failed) {
  console.log(`  ${t.Outcome}: ${t.FullName ?? `${t.ApexClass?.Name}.${t.MethodName}`}: ${t.Message ?? ''}`);
}

const problems = [];
if (failing > 0) problems.push(`${failing} Apex test(s) failed`);
else if (summary.outcome === 'Failed') problems.push("the test run's outcome is Failed");
if (coverage === undefined) problems.push('the result has no coverage (was --code-coverage given?)');
else if (coverage < min) problems.push(`org-wide coverage ${coverage}% is below the minimum ${min}%`);

if (problems.length > 0) {
  console.log(`FAIL: ${problems.join('; ')}.`);
  process.exit(1);
}
console.log(`PASS: all Apex tests passed and org-wide coverage ${coverage}% meets the minimum ${min}%.`);
