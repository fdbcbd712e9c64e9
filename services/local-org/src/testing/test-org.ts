import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { createLocalOrg, type LocalOrg, type LocalOrgOptions } from '../local-org';
import { writeFixtureProject } from './fixture-project';
import { installDisposeSymbols } from './symbol-dispose';

installDisposeSymbols();

export interface TestOrg {
  org: LocalOrg;
  projectRoot: string;
  dataDir: string;
  /** A jsforce connection as application code makes one: instance URL, access token, API version. */
  connection(extra?: Record<string, unknown>): Connection;
  /** Plain HTTP to the versioned REST API (path from the version root), authenticated as the admin user. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A local org on an ephemeral port over the fixture project (or `projectRoot`), with a throwaway data dir. */
export async function startTestOrg(options: Partial<LocalOrgOptions> = {}): Promise<TestOrg> {
  const ownProject = options.projectRoot === undefined;
  const projectRoot = options.projectRoot ?? writeFixtureProject();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-org-data-'));
  const org = await createLocalOrg({ ...options, projectRoot, dataDir });
  return {
    org,
    projectRoot,
    dataDir,
    connection: (extra = {}) =>
      new Connection({ instanceUrl: org.url, accessToken: org.accessToken, version: '66.0', ...extra }),
    api: (apiPath, init = {}) =>
      fetch(`${org.url}/services/data/v66.0${apiPath}`, {
        ...init,
        headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json', ...init.headers }
      }),
    async close() {
      await org.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (ownProject) fs.rmSync(projectRoot, { recursive: true, force: true });
    }
  };
}

/** The error a call rejects with (a jsforce error carries Salesforce's errorCode); fails when the call succeeds. */
export async function rejection<E extends Error = Error & { errorCode?: string }>(
  promise: PromiseLike<unknown>
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail');
}
