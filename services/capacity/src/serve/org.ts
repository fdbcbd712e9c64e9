import { Connection } from 'jsforce';
import type { OrgTarget } from '../config';
import { SalesforceClient } from '../salesforce/client';
import { API_VERSION, connect, mintJwtToken } from '../salesforce/connection';

/**
 * The service's one connection to the org, opened on first use and shared by the runs and the readiness check. A
 * failed opening (the org unreachable at start, a JWT refused) is not kept: the next use tries again, so a service
 * started before its org is reachable becomes ready without a restart.
 */
export class OrgConnection {
  private opening?: Promise<Connection>;

  constructor(readonly target: OrgTarget) {}

  connection(): Promise<Connection> {
    this.opening ??= open(this.target).catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  /** A fresh client per run, so that each run counts its own API calls; the connection (and its token) is shared. */
  async client(options?: ConstructorParameters<typeof SalesforceClient>[1]): Promise<SalesforceClient> {
    return new SalesforceClient(await this.connection(), options);
  }

  /** The cheapest authenticated call: GET /limits, one attempt, a short timeout. Throws when the org does not answer. */
  async check(timeoutMs: number): Promise<void> {
    const client = await this.client({ attempts: 1, timeoutMs });
    await client.request({ method: 'GET', url: '/limits', idempotent: true });
  }

  /** Where the service connects, for the log: no token, no key. */
  describe(): string {
    const target = this.target;
    if (target.kind === 'jwt') return `JWT bearer as ${target.username} through ${target.loginUrl}`;
    if (target.kind === 'alias') return `sf CLI alias ${target.alias}`;
    return `access token for ${target.instanceUrl}`;
  }
}

async function open(target: OrgTarget): Promise<Connection> {
  if (target.kind === 'token') {
    const { instanceUrl, accessToken, refreshToken } = target;
    return connect({ kind: 'local', instanceUrl, accessToken, refreshToken });
  }
  if (target.kind === 'alias') return connect({ kind: 'alias', alias: target.alias });
  // connect() reads the key from a file; a container receives it in an environment variable, so the same flow runs
  // here with the key in memory: mint a token, and mint a new one whenever Salesforce answers 401.
  const first = await mintJwtToken(target, target.privateKey);
  return new Connection({
    instanceUrl: first.instance_url,
    accessToken: first.access_token,
    version: API_VERSION,
    refreshFn: (_connection, callback) => {
      mintJwtToken(target, target.privateKey).then(
        (token) => callback(null, token.access_token, token as never),
        (error: Error) => callback(error)
      );
    }
  });
}
