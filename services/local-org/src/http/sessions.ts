import type { Database } from '../store/database';
import { randomToken } from '../store/ids';

/**
 * Access and refresh tokens. Access tokens look like real ones (`<org id>!<secret>`, which `sf org login
 * access-token` insists on) and survive restarts on the same data directory; the refresh token never changes.
 * Revoking (the token-expiry fault) invalidates every access token until a refresh issues a new one.
 */
export class Sessions {
  readonly refreshToken: string;

  constructor(
    private readonly db: Database,
    private readonly orgId: string,
    fixedAccessToken?: string
  ) {
    const stored = db.get("SELECT value FROM _meta WHERE key = 'refresh_token'")?.value;
    this.refreshToken = typeof stored === 'string' ? stored : `5Aep861${randomToken(80)}`;
    if (typeof stored !== 'string') this.setMeta('refresh_token', this.refreshToken);
    if (fixedAccessToken) {
      db.run(
        'INSERT INTO _tokens (token, revoked, issued_at) VALUES (?, 0, ?) ON CONFLICT (token) DO UPDATE SET revoked = 0',
        [fixedAccessToken, new Date().toISOString()]
      );
      this.setMeta('current_token', fixedAccessToken);
    } else if (!this.current()) {
      this.issue();
    }
  }

  private setMeta(key: string, value: string): void {
    this.db.run('INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      value
    ]);
  }

  private current(): string | undefined {
    const value = this.db.get("SELECT value FROM _meta WHERE key = 'current_token'")?.value;
    return typeof value === 'string' && this.valid(value) ? value : undefined;
  }

  /** The newest access token issued (after a refresh, the refreshed one); revoked when the session expired. */
  get accessToken(): string {
    return String(this.db.get("SELECT value FROM _meta WHERE key = 'current_token'")?.value);
  }

  issue(): string {
    const token = `${this.orgId}!${randomToken(96)}`;
    this.db.run('INSERT INTO _tokens (token, revoked, issued_at) VALUES (?, 0, ?)', [token, new Date().toISOString()]);
    this.setMeta('current_token', token);
    return token;
  }

  valid(token: string): boolean {
    return this.db.get('SELECT revoked FROM _tokens WHERE token = ?', [token])?.revoked === 0;
  }

  /** Any token this org ever issued, revoked or not (guards the admin endpoints). */
  known(token: string): boolean {
    return this.db.get('SELECT 1 AS found FROM _tokens WHERE token = ?', [token]) !== undefined;
  }

  revokeAll(): void {
    this.db.run('UPDATE _tokens SET revoked = 1');
  }
}
