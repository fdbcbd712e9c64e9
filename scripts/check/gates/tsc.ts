import * as path from 'node:path';
import type { Finding, Gate } from '../gate';
import { relative } from '../paths';
import { resolveBin, runNode } from '../process';

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;

/** `tsc --noEmit` over the project's tsconfig.json: the services and tooling type-check. */
export const tscGate: Gate = {
  id: 'tsc',
  title: 'TypeScript (tsc --noEmit)',
  async run({ root }) {
    const tsc = resolveBin('typescript', 'bin/tsc');
    const project = path.join(root, 'tsconfig.json');
    const check = await runNode(tsc, ['--noEmit', '--pretty', 'false', '--listFiles', '-p', project], { cwd: root });
    const findings: Finding[] = [];
    let fileCount = 0;
    for (const line of check.stdout.split('\n')) {
      const match = DIAGNOSTIC.exec(line.trim());
      if (!match) {
        // --listFiles prints every program file; count the project's own.
        if (path.isAbsolute(line.trim()) && !line.includes('node_modules')) fileCount++;
        continue;
      }
      const [, file = '', lineNumber, column, severity, code, message = ''] = match;
      findings.push({
        file: relative(root, path.resolve(root, file)),
        line: Number(lineNumber),
        column: Number(column),
        message,
        rule: `tsc:${code}`,
        severity: severity === 'error' ? 'error' : 'warning'
      });
    }
    if (check.code !== 0 && findings.length === 0) {
      throw new Error(
        `tsc failed (exit ${check.code}) without diagnostics: ${(check.stdout + check.stderr).slice(0, 2000)}`
      );
    }
    return { findings, checked: `${fileCount} files` };
  }
};
