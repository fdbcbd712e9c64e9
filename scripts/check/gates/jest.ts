import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding, Gate } from '../gate';
import { relative } from '../paths';
import { REPO_ROOT, resolveBin, runNode } from '../process';

interface JestReport {
  numTotalTests: number;
  numTotalTestSuites: number;
  testResults: {
    name: string;
    status: 'passed' | 'failed';
    message: string;
    assertionResults: {
      fullName: string;
      status: string;
      failureMessages: string[];
      location?: { line: number; column: number } | null;
    }[];
  }[];
}

/** The line in `file` a failure points at: the first stack frame in that file. */
function lineIn(file: string, text: string): number | undefined {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`${escaped}:(\\d+)(?::\\d+)?`).exec(text);
  if (frame) return Number(frame[1]);
  const excerpt = /^\s*>\s*(\d+)\s*\|/m.exec(text.replace(/\u001b\[[0-9;]*m/g, ''));
  return excerpt ? Number(excerpt[1]) : undefined;
}

/** A one-line summary of a failure: its first line plus the expected/received values or the a11y rules broken. */
function firstLine(text: string): string {
  const lines = text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('●'));
  const details = lines.filter((line) => /^(Expected|Received):/.test(line) || /^\(\d+\) \[[\w-]+\]/.test(line));
  const diff = lines.filter((line) => /^[+-] /.test(line) && !/^[+-] (Expected|Received)\s/.test(line)).slice(0, 4);
  return [lines[0] ?? 'failed', ...details, ...diff].join(' | ').slice(0, 500);
}

/**
 * Runs one jest project of the project's jest.config.js in its own process and turns failed tests into findings
 * that point at the failing line of the test file.
 */
export function jestGate(id: string, title: string, project: string): Gate {
  return {
    id,
    title,
    async run({ root }) {
      const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-jest-')), 'report.json');
      try {
        const jest = resolveBin('jest', 'bin/jest.js');
        const args = ['--config', path.join(root, 'jest.config.js'), '--selectProjects', project];
        args.push('--json', '--outputFile', output, '--testLocationInResults', '--ci', '--silent');
        // NODE_PATH lets a project outside this repository (a gate fixture) use this repository's jest toolchain.
        const nodePath = [path.join(REPO_ROOT, 'node_modules'), process.env.NODE_PATH]
          .filter(Boolean)
          .join(path.delimiter);
        const result = await runNode(jest, args, { cwd: root, env: { ...process.env, NODE_PATH: nodePath } });
        if (!fs.existsSync(output)) {
          throw new Error(
            `jest (${project}) did not run (exit ${result.code}): ${result.stderr.trim().slice(0, 2000)}`
          );
        }
        const report = JSON.parse(fs.readFileSync(output, 'utf8')) as JestReport;
        const findings: Finding[] = [];
        for (const suite of report.testResults) {
          const file = relative(root, suite.name);
          const failed = suite.assertionResults.filter((test) => test.status === 'failed');
          for (const test of failed) {
            const text = test.failureMessages.join('\n');
            findings.push({
              file,
              line: lineIn(suite.name, text) ?? test.location?.line,
              message: `${test.fullName}: ${firstLine(text)}`,
              rule: `jest:${project}`,
              severity: 'error'
            });
          }
          if (suite.status === 'failed' && failed.length === 0) {
            findings.push({
              file,
              line: lineIn(suite.name, suite.message),
              message: `test suite failed to run: ${firstLine(suite.message)}`,
              rule: `jest:${project}`,
              severity: 'error'
            });
          }
        }
        if (result.code !== 0 && findings.length === 0) {
          throw new Error(
            `jest (${project}) failed (exit ${result.code}) without a failing test: ${result.stderr.slice(-2000)}`
          );
        }
        if (report.numTotalTests === 0) {
          findings.push({
            file: 'jest.config.js',
            message: `jest project ${project} ran no test`,
            rule: `jest:${project}`,
            severity: 'error'
          });
        }
        return { findings, checked: `${report.numTotalTestSuites} suites, ${report.numTotalTests} tests` };
      } finally {
        fs.rmSync(path.dirname(output), { recursive: true, force: true });
      }
    }
  };
}

export const lwcJestGate = jestGate('lwc-jest', 'LWC jest (sfdx-lwc-jest + @sa11y/jest)', 'lwc');
export const nodeJestGate = jestGate('node-jest', 'Services and tooling jest (ts-jest)', 'node');
