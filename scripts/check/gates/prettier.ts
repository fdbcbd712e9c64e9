import * as path from 'node:path';
import type { Finding, Gate } from '../gate';
import { listFiles } from '../paths';
import { runNode } from '../process';

const EXTENSIONS = /\.(cls|trigger|js|mjs|cjs|ts|html|css|json)$/;

/**
 * Syntax and format: Apex through prettier-plugin-apex's native parser (a syntax error is reported with its line),
 * and the JavaScript, TypeScript, HTML, CSS and JSON around it. Files in .prettierignore are skipped.
 */
export const prettierGate: Gate = {
  id: 'prettier',
  title: 'Apex syntax and format (prettier + prettier-plugin-apex)',
  async run({ root }) {
    const files = listFiles(root, (name) => EXTENSIONS.test(name) && name !== 'package-lock.json');
    const result = await runNode(path.join(__dirname, '..', 'prettier-worker.mjs'), [], {
      cwd: root,
      input: JSON.stringify({ root, files })
    });
    if (result.code !== 0) throw new Error(`prettier worker failed (exit ${result.code}): ${result.stderr.trim()}`);
    const report = JSON.parse(result.stdout) as {
      findings: Omit<Finding, 'severity'>[];
      checked: number;
      apex: number;
    };
    const findings = report.findings.map((finding): Finding => ({ ...finding, severity: 'error' }));
    return { findings, checked: `${report.checked} files (${report.apex} Apex)` };
  }
};
