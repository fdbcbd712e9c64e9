import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What the org scripts' tests share: temporary folders removed after the suite, the environment of a machine where
 * sf was never used, a script run with its output and duration, and the processes a run may have left behind.
 */

/** Temporary folders made by `make`, all removed by `removeAll` (call it from afterAll). */
export function temporaryFolders(): { make: (prefix: string) => string; removeAll: () => void } {
  const made: string[] = [];
  return {
    make: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll: () => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }))
  };
}

/** A fresh HOME and none of the settings that point sf at an org (SF_, SFDX_, XDG_, ORG_, PACKAGE_, MIN_COVERAGE). */
export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SF_|SFDX_|XDG_|ORG_|PACKAGE_|MIN_COVERAGE$|HOME$)/.test(key)) env[key] = value;
  }
  return { ...env, HOME: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', ...extra };
}

export interface ScriptRun {
  code: number | null;
  /** stdout and stderr interleaved as they came. */
  output: string;
  stderr: string;
  seconds: number;
}

/** Runs a bash script to its end. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Processes still running whose environment carries the marker (children inherit it, detached or not). */
export function processesWith(marker: string): string[] {
  const ps = spawnSync('ps', ['axeww', '-o', 'pid=,command='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(marker));
}
