import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../browser';
import { prepareDemoOrg } from '../demo-org';
import { startPreview, type Preview } from '../server';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');
export const TODAY = new Date().toISOString().slice(0, 10);

/** Polls until `read` gives something `accept` likes (components render asynchronously). */
export async function until<T>(read: () => T | Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BrowserSessionOptions {
  /** Names the temporary folders: `handoff-<name>-org-...` and `handoff-<name>-chromium-...`. */
  name: string;
  /** Seed the demo firm and run its first forecast (prepareDemoOrg, anchored to TODAY); default true. */
  demo?: boolean;
  /** The browser's viewport; default 1400 x 1000. */
  viewport?: { width: number; height: number };
  /** Runs on the org once it is ready (after the demo firm), before the preview starts: records, services. */
  prepare?: (org: LocalOrg) => void | Promise<void>;
  /** Runs after the browser and the preview have closed, before the org does: stops what `prepare` started. */
  release?: () => void | Promise<void>;
}

export interface BrowserSession {
  readonly org: LocalOrg;
  readonly preview: Preview;
  readonly page: Page;
  /** Page errors and console errors since the last test; each test ends asserting there are none left. */
  readonly pageErrors: string[];
  /** Goes to the preview page with this query (`view=app`, ...). */
  open(query: string): Promise<void>;
  /** Saves `artifacts/screenshots/<name>.png`: of `target` when given, otherwise the whole page. */
  screenshot(name: string, target?: Locator): Promise<Buffer>;
}

/**
 * The set-up of a browser test, registered as the enclosing describe block's hooks: a local org in a temporary folder
 * (with the demo firm and one forecast unless `demo: false`), the preview of the force-app components against it, and
 * headless Chromium (the build @sparticuz/chromium brings, or CHROMIUM_PATH) on one page whose errors are collected.
 * Each test ends asserting the page logged no error; afterwards everything is closed and the folders are removed.
 * The accessors throw when read before the set-up has run (at describe time) or after it failed.
 */
export function browserSession(options: BrowserSessionOptions): BrowserSession {
  const { name, demo = true, viewport = { width: 1400, height: 1000 }, prepare, release } = options;
  let dataDir: string | undefined;
  let userDataDir: string | undefined;
  let org: LocalOrg | undefined;
  let preview: Preview | undefined;
  let browser: BrowserContext | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The browser session has no ${what}: its set-up has not run or failed`);
    return value;
  };

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `handoff-${name}-org-`));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    if (demo) await prepareDemoOrg(org, TODAY);
    await prepare?.(org);
    preview = await startPreview({ org });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `handoff-${name}-chromium-`));
    browser = await chromium.launchPersistentContext(userDataDir, { executablePath, args: CHROMIUM_ARGS, viewport });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
    await release?.();
    await org?.close();
    for (const dir of [userDataDir, dataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  return {
    get org() {
      return started(org, 'org');
    },
    get preview() {
      return started(preview, 'preview');
    },
    get page() {
      return started(page, 'page');
    },
    pageErrors,
    async open(query) {
      await started(page, 'page').goto(`${started(preview, 'preview').url}?${query}`);
    },
    screenshot(name, target) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      return target
        ? target.screenshot({ path: file })
        : started(page, 'page').screenshot({ path: file, fullPage: true });
    }
  };
}
