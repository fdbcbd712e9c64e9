import { createSign } from 'node:crypto';
import * as fs from 'node:fs';
import { Connection } from 'jsforce';

export const API_VERSION = '66.0';

export type Target =
  | { kind: 'local'; instanceUrl: string; accessToken: string; refreshToken?: string }
  | { kind: 'alias'; alias: string }
  | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKeyFile: string };

/**
 * A jsforce connection to the org: the local org by default (instance URL and token), a scratch org through an sf
 * CLI alias (@salesforce/core reads the CLI's stored auth), or production through the OAuth 2.0 JWT bearer flow for
 * an API-only integration user, minting a new token whenever Salesforce answers 401 (jsforce has no JWT refresh).
 */
export async function connect(target: Target): Promise<Connection> {
  if (target.kind === 'local') {
    // With a refresh token, jsforce renews an expired session through the org's refresh_token grant.
    return new Connection({
      instanceUrl: target.instanceUrl,
      accessToken: target.accessToken,
      refreshToken: target.refreshToken,
      oauth2: target.refreshToken ? { loginUrl: target.instanceUrl, clientId: 'handoff-capacity' } : undefined,
      version: API_VERSION
    });
  }
  if (target.kind === 'alias') {
    const { Org } = await import('@salesforce/core');
    const org = await Org.create({ aliasOrUsername: target.alias });
    const connection = org.getConnection(API_VERSION);
    return connection as unknown as Connection;
  }
  const key = fs.readFileSync(target.privateKeyFile, 'utf8');
  const first = await mintJwtToken(target, key);
  return new Connection({
    instanceUrl: first.instance_url,
    accessToken: first.access_token,
    version: API_VERSION,
    refreshFn: (_connection, callback) => {
      mintJwtToken(target, key).then(
        (token) => callback(null, token.access_token, token as never),
        (error: Error) => callback(error)
      );
    }
  });
}

/** Exchanges a signed JWT assertion for an access token (RFC 7523, as Salesforce implements it). */
export async function mintJwtToken(
  target: { loginUrl: string; clientId: string; username: string },
  privateKeyPem: string,
  now: () => number = Date.now
): Promise<{ access_token: string; instance_url: string }> {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const claims = encode({
    iss: target.clientId,
    sub: target.username,
    aud: target.loginUrl,
    exp: Math.floor(now() / 1000) + 180
  });
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKeyPem, 'base64url');
  const response = await fetch(new URL('/services/oauth2/token', target.loginUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: `${header}.${claims}.${signature}`
    })
  });
  const body = (await response.json()) as {
    access_token?: string;
    instance_url?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token || !body.instance_url) {
    throw new Error(
      `JWT bearer token request failed (${response.status}): ${body.error ?? ''} ${body.error_description ?? ''}`.trim()
    );
  }
  return { access_token: body.access_token, instance_url: body.instance_url };
}
