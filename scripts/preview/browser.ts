import { execFileSync } from 'node:child_process';

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set (a system browser, say), otherwise the build that
 * `@sparticuz/chromium` ships inside node_modules, unpacked to the temporary folder on first use, so a bare machine
 * runs the browser tests after `npm ci` with nothing installed by hand. The package is ESM-only and jest loads
 * CommonJS, so its path is asked of a child Node process.
 */
export function chromiumExecutable(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  const script =
    "import('@sparticuz/chromium').then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))";
  const executable = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: __dirname,
    encoding: 'utf8',
    timeout: 120_000
  }).trim();
  if (!executable) throw new Error('@sparticuz/chromium gave no executable path; set CHROMIUM_PATH to a Chromium');
  return executable;
}

/** Flags for a headless run in a container: no sandbox (no user namespaces here), no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];
