import type { Express, NextFunction, Request, Response } from 'express';
import type { OrgRuntime } from '../runtime';

type Middleware = (request: Request, response: Response, next: NextFunction) => void;

function formParams(request: Request): URLSearchParams {
  const params = new URL(request.originalUrl, 'http://local').searchParams;
  if (typeof request.body === 'string' && request.body) {
    const contentType = request.headers['content-type'] ?? '';
    if (/json/i.test(contentType)) {
      for (const [key, value] of Object.entries(JSON.parse(request.body) as Record<string, unknown>)) {
        params.set(key, String(value));
      }
    } else {
      for (const [key, value] of new URLSearchParams(request.body)) params.set(key, value);
    }
  }
  return params;
}

/** `/services/oauth2/token` (refresh_token grant), `/services/oauth2/userinfo` and the identity URL. */
export function oauthRoutes(app: Express, org: OrgRuntime, authenticate: Middleware): void {
  app.post('/services/oauth2/token', (request, response) => {
    let params: URLSearchParams;
    try {
      params = formParams(request);
    } catch {
      response.status(400).json({ error: 'invalid_request', error_description: 'malformed request body' });
      return;
    }
    const grant = params.get('grant_type');
    if (grant !== 'refresh_token') {
      response.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
      return;
    }
    if (params.get('refresh_token') !== org.sessions.refreshToken) {
      response.status(400).json({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
      return;
    }
    const { orgId, userId } = org.identity;
    response.json({
      access_token: org.sessions.issue(),
      signature: Buffer.from(`${orgId}${Date.now()}`).toString('base64'),
      scope: 'api refresh_token full',
      instance_url: org.baseUrl(),
      id: `${org.baseUrl()}/id/${orgId}/${userId}`,
      token_type: 'Bearer',
      issued_at: String(Date.now())
    });
  });

  const userInfo = (_request: Request, response: Response) => {
    const { orgId, userId, username } = org.identity;
    const base = org.baseUrl();
    const version = org.maxVersion;
    const api = (path: string) => `${base}/services/data/v{version}/${path}`;
    response.json({
      sub: `${base}/id/${orgId}/${userId}`,
      user_id: userId,
      organization_id: orgId,
      preferred_username: username,
      nickname: username.split('@')[0],
      name: 'Local Admin',
      email: username,
      email_verified: true,
      given_name: 'Local',
      family_name: 'Admin',
      zoneinfo: 'GMT',
      locale: 'en_US',
      language: 'en_US',
      utcOffset: 0,
      active: true,
      user_type: 'STANDARD',
      is_app_installed: true,
      updated_at: new Date().toISOString(),
      urls: {
        rest: api(''),
        sobjects: api('sobjects/'),
        query: api('query/'),
        recent: api('recent/'),
        profile: `${base}/${userId}`,
        custom_domain: base
      },
      api_version: version
    });
  };
  app.get('/services/oauth2/userinfo', authenticate, userInfo);
  app.get('/id/:org/:user', authenticate, userInfo);
}
