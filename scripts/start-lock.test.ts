import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireStartLock, StartLockHeld } from './start-lock';

// Starts node processes to find a pid that is gone: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

describe('the npm start lock', () => {
  let dir: string;
  // A pid that no process has: one that just exited.
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-start-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first process lives, naming its pid and URLs', () => {
    const first = acquireStartLock(dir, process.pid);
    first.update({ localOrg: 'http://127.0.0.1:4001', service: 'http://127.0.0.1:4002' });
    let refused: unknown;
    try {
      acquireStartLock(dir, process.pid + 1_000_000);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(StartLockHeld);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `^npm start is already running \\(pid ${process.pid}, since .*\\): local org http://127.0.0.1:4001, capacity service http://127.0.0.1:4002\\.`
      )
    );
    first.release();
    expect(fs.existsSync(first.file)).toBe(false);
  });

  it('takes over a lock whose process is gone', () => {
    const stale = acquireStartLock(dir, deadPid());
    const lock = acquireStartLock(dir, process.pid);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
    // The stale holder's release must not remove the new holder's lock.
    stale.release();
    expect(fs.existsSync(lock.file)).toBe(true);
    lock.release();
  });

  it('takes over an unreadable lock left by a start that died while writing it', () => {
    const file = path.join(dir, 'start.lock');
    fs.writeFileSync(file, '{"pi');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(file, past, past);
    const lock = acquireStartLock(dir, process.pid);
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
  });
});
