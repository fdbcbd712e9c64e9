import { execFile } from 'node:child_process';
import * as path from 'node:path';

/** The project's own sf CLI. */
export const SF = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules', '.bin', 'sf');

/** What `sf ... --json` prints: the status, and on failure the error's name and message; `result` on success. */
export interface SfResult {
  status: number;
  name?: string;
  message?: string;
  result?: Record<string, unknown>;
}

/**
 * Runs `sf <args> --json` with `home` as its HOME (so it never reads the developer's own orgs), the local org's access
 * token in SF_ACCESS_TOKEN, and no updater, version check or telemetry; resolves with the parsed JSON.
 */
export function runSf(home: string, accessToken: string, args: string[]): Promise<SfResult> {
  return new Promise((resolve, reject) => {
    execFile(
      SF,
      [...args, '--json'],
      {
        cwd: home,
        timeout: 120_000,
        env: {
          ...process.env,
          HOME: home,
          USERPROFILE: home,
          SF_ACCESS_TOKEN: accessToken,
          SF_DISABLE_AUTOUPDATE: 'true',
          SF_AUTOUPDATE_DISABLE: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
          SF_DISABLE_TELEMETRY: 'true',
          SF_USE_GENERIC_UNIX_KEYCHAIN: 'true'
        }
      },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as SfResult);
        } catch {
          reject(new Error(`sf ${args.join(' ')} printed no JSON (${error?.message ?? ''}): ${stdout}${stderr}`));
        }
      }
    );
  });
}

/** `sf org login access-token` arguments for the local org at `url`, under the alias `local`. */
export const loginArgs = (url: string): string[] => [
  'org',
  'login',
  'access-token',
  '--instance-url',
  url,
  '--no-prompt',
  '--alias',
  'local'
];
