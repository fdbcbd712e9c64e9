import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Gate, Severity } from '../gate';
import { relative } from '../paths';
import { REPO_ROOT, run } from '../process';

/** apex-ls ships inside the PMD engine of Salesforce Code Analyzer; no separate download. */
export function apexLsClasspath(): string {
  const engine = path.dirname(
    require.resolve('@salesforce/code-analyzer-pmd-engine/package.json', { paths: [REPO_ROOT] })
  );
  const jars = path.join(engine, 'dist', 'java-lib');
  if (!fs.readdirSync(jars).some((jar) => /^apex-ls_.*\.jar$/.test(jar))) {
    throw new Error(`no apex-ls jar in ${jars}`);
  }
  return `${jars}${path.sep}*`;
}

interface ApexLsReport {
  files: { path: string; messages: { start: { line: number; offset: number }; category: string; message: string }[] }[];
}

/** Categories apex-ls uses for problems that break a deploy or a run; Warning and Unused are advisory. */
const ERROR_CATEGORIES = new Set(['Syntax', 'Error', 'Missing']);

/**
 * Apex semantics with apex-ls (Apex Dev Tools' CheckForIssues): unknown types, fields, methods, type errors,
 * checked against the project's own metadata and the standard objects apex-ls knows offline.
 */
export const apexLsGate: Gate = {
  id: 'apex-ls',
  title: 'Apex semantics (apex-ls)',
  async run({ root }) {
    const args = ['-cp', apexLsClasspath(), 'io.github.apexdevtools.apexls.CheckForIssues'];
    args.push('-n', '-f', 'json', '-d', 'warnings', '-w', root);
    const result = await run('java', args, { cwd: root }).catch((error: Error) => {
      throw new Error(`cannot run java for apex-ls (Java 17+ must be on PATH): ${error.message}`);
    });
    // 0: clean, 4: issues found; anything else means apex-ls itself failed and must not pass silently.
    if (result.code !== 0 && result.code !== 4) {
      throw new Error(
        `apex-ls failed with exit ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`
      );
    }
    const report = JSON.parse(result.stdout) as ApexLsReport;
    const findings: Finding[] = report.files.flatMap((file) =>
      file.messages.map((message) => {
        const severity: Severity = ERROR_CATEGORIES.has(message.category) ? 'error' : 'warning';
        return {
          file: relative(root, file.path),
          line: message.start.line,
          column: message.start.offset + 1,
          message: message.message,
          rule: `apex-ls:${message.category}`,
          severity
        };
      })
    );
    if (result.code === 4 && !findings.some((finding) => finding.severity === 'error')) {
      throw new Error(`apex-ls reported errors it did not list: ${result.stdout.slice(0, 2000)}`);
    }
    return { findings, checked: 'all Apex in the package directories' };
  }
};
