import * as path from 'node:path';
import type { Finding, Gate } from '../gate';
import { relative } from '../paths';
import { REPO_ROOT, resolveBin, runNode } from '../process';

interface EslintFileResult {
  filePath: string;
  messages: { ruleId: string | null; severity: 1 | 2; message: string; line?: number; column?: number }[];
}

/** ESLint with the repository's flat config: LWC rules on components, typescript-eslint on services and tooling. */
export const eslintGate: Gate = {
  id: 'eslint',
  title: 'ESLint (LWC + TypeScript)',
  async run({ root }) {
    const eslint = resolveBin('eslint', 'bin/eslint.js');
    const config = path.join(REPO_ROOT, 'eslint.config.js');
    const result = await runNode(eslint, ['--config', config, '--format', 'json', '--no-warn-ignored', '.'], {
      cwd: root
    });
    // ESLint exits 1 when it found problems and 2 when it could not run.
    if (result.code !== 0 && result.code !== 1) {
      throw new Error(`eslint failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.slice(0, 2000)}`);
    }
    const files = JSON.parse(result.stdout) as EslintFileResult[];
    const findings: Finding[] = files.flatMap((file) =>
      file.messages.map((message): Finding => ({
        file: relative(root, file.filePath),
        line: message.line,
        column: message.column,
        message: message.message,
        rule: `eslint:${message.ruleId ?? 'parse'}`,
        severity: message.severity === 2 ? 'error' : 'warning'
      }))
    );
    return { findings, checked: `${files.length} files` };
  }
};
