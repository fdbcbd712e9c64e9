import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the lock file says about the `npm start` holding it. */
export interface StartLockInfo {
  pid: number;
  startedAt: string;
  /** Filled in once each part is listening. */
  urls: { localOrg?: string; service?: string; preview?: string };
}

/** Another `npm start` is running with the same data directory. */
export class StartLockHeld extends Error {
  constructor(
    readonly holder: StartLockInfo,
    readonly file: string
  ) {
    const urls = Object.entries({
      'local org': holder.urls.localOrg,
      'capacity service': holder.urls.service,
      preview: holder.urls.preview
    })
      .filter(([, url]) => url)
      .map(([name, url]) => `${name} ${url}`);
    super(
      `npm start is already running (pid ${holder.pid}, since ${holder.startedAt}): ` +
        `${urls.length ? urls.join(', ') : 'still starting'}. Use that one, or stop it (Ctrl-C in its terminal, or ` +
        `kill ${holder.pid}) first. Lock: ${file}`
    );
    this.name = 'StartLockHeld';
  }
}

export interface StartLock {
  readonly file: string;
  readonly info: StartLockInfo;
  /** Records where the running parts listen, for the next `npm start` to print. */
  update(urls: StartLockInfo['urls']): void;
  /** Removes the lock if this process still holds it (safe to call more than once). */
  release(): void;
}

/** Whether a process with this id exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): StartLockInfo | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StartLockInfo>;
    return typeof value.pid === 'number'
      ? { pid: value.pid, startedAt: String(value.startedAt ?? ''), urls: value.urls ?? {} }
      : undefined;
  } catch {
    return undefined; // gone, or half-written by a process that died: not a live holder
  }
}

/**
 * Takes `<dir>/start.lock` for this process, so that one `npm start` at a time uses a data directory (and writes its
 * `local-org.json`). Throws StartLockHeld when a live process holds it; a lock whose process is gone is taken over.
 */
export function acquireStartLock(dir: string, pid = process.pid, now: () => Date = () => new Date()): StartLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'start.lock');
  const info: StartLockInfo = { pid, startedAt: now().toISOString(), urls: {} };
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx'); // created only if absent: two starts cannot both get here
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(file);
      if (holder && holder.pid !== pid && processAlive(holder.pid)) throw new StartLockHeld(holder, file);
      const modified = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
      if (modified === undefined) continue; // released meanwhile: try again
      if (!holder && Date.now() - modified < 2000) {
        // Just created by a start that has not written its pid yet: let it finish.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
        continue;
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
      continue;
    }
    fs.writeSync(fd, JSON.stringify(info, null, 2));
    fs.closeSync(fd);
    let released = false;
    return {
      file,
      info,
      update(urls) {
        Object.assign(info.urls, urls);
        if (readLock(file)?.pid === pid) fs.writeFileSync(file, JSON.stringify(info, null, 2));
      },
      release() {
        if (released) return;
        released = true;
        if (readLock(file)?.pid === pid) fs.rmSync(file, { force: true });
      }
    };
  }
  throw new Error(`could not take ${file}: it keeps changing; is another npm start starting?`);
}
