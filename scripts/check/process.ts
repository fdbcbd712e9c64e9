import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface Completed {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing its output; never throws for a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv } = { cwd: process.cwd() }
): Promise<Completed> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8')
      })
    );
    child.stdin.end(options.input ?? '');
  });
}

/** The repository this tooling belongs to (where node_modules and the shared configs live). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Runs a Node script with the same Node that runs us (the project's Node 22). */
export function runNode(
  script: string,
  args: string[],
  options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }
) {
  return run(process.execPath, [script, ...args], options);
}

export function resolveBin(pkg: string, relativeBin: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [REPO_ROOT] })), relativeBin);
}
