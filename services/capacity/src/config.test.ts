import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

const SECRET = 's'.repeat(40);
const RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem'
}) as string;
const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
  type: 'pkcs8',
  format: 'pem'
}) as string;
const JWT = {
  HANDOFF_CLIENT_ID: '3MVG9-consumer-key',
  HANDOFF_USERNAME: 'capacity@handoff.example',
  HANDOFF_PRIVATE_KEY: RSA_PEM
};
const TOKEN = { HANDOFF_INSTANCE_URL: 'http://127.0.0.1:4000', HANDOFF_ACCESS_TOKEN: '00Dxx!token' };

/** The problems loadConfig reports for `env`; fails the test if it accepts it. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.split('\n')[0]).toBe('The capacity service cannot start. Fix these environment variables:');
    return (error as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  describe('the org connection', () => {
    it('takes the JWT bearer flow with the PEM key in the variable, with defaults for the rest', () => {
      expect(loadConfig({ ...JWT, HANDOFF_SERVICE_SECRET: SECRET })).toEqual({
        org: {
          kind: 'jwt',
          loginUrl: 'https://login.salesforce.com',
          clientId: '3MVG9-consumer-key',
          username: 'capacity@handoff.example',
          privateKey: RSA_PEM
        },
        secret: SECRET,
        port: 8080,
        probePort: 8081,
        host: '0.0.0.0',
        graceMs: 25_000
      });
    });

    it('reads a PEM written on one line with literal \\n, as some secret stores hold it', () => {
      const oneLine = RSA_PEM.trim().replace(/\n/g, '\\n');
      const config = loadConfig({ ...JWT, HANDOFF_PRIVATE_KEY: oneLine, HANDOFF_SERVICE_SECRET: SECRET });
      expect(config.org).toMatchObject({ kind: 'jwt', privateKey: RSA_PEM.trim() });
    });

    it('reads the key from HANDOFF_PRIVATE_KEY_FILE, and names the file variable when it cannot', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-config-'));
      try {
        const file = path.join(dir, 'server.key');
        fs.writeFileSync(file, RSA_PEM);
        const env = { ...JWT, HANDOFF_PRIVATE_KEY: undefined, HANDOFF_SERVICE_SECRET: SECRET };
        expect(loadConfig({ ...env, HANDOFF_PRIVATE_KEY_FILE: file }).org).toMatchObject({ privateKey: RSA_PEM });
        expect(problems({ ...env, HANDOFF_PRIVATE_KEY_FILE: path.join(dir, 'absent.key') })).toEqual([
          'HANDOFF_PRIVATE_KEY_FILE cannot be read (ENOENT)'
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('names each missing JWT variable and what it is needed for', () => {
      expect(problems({ HANDOFF_USERNAME: JWT.HANDOFF_USERNAME, HANDOFF_SERVICE_SECRET: SECRET })).toEqual([
        'HANDOFF_CLIENT_ID is missing (needed for the JWT bearer flow)',
        'HANDOFF_PRIVATE_KEY is missing (needed for the JWT bearer flow; or set HANDOFF_PRIVATE_KEY_FILE to a PEM file)'
      ]);
    });

    it('refuses a key that is not an RSA PEM key without echoing it, and two keys at once', () => {
      const notPem = problems({ ...JWT, HANDOFF_PRIVATE_KEY: 'MIIEvQIBADANBgkq', HANDOFF_SERVICE_SECRET: SECRET });
      expect(notPem).toEqual(['HANDOFF_PRIVATE_KEY is not a private key in PEM form']);
      expect(problems({ ...JWT, HANDOFF_PRIVATE_KEY: EC_PEM, HANDOFF_SERVICE_SECRET: SECRET })).toEqual([
        'HANDOFF_PRIVATE_KEY is not an RSA private key (the JWT bearer flow signs with RS256)'
      ]);
      expect(
        problems({ ...JWT, HANDOFF_PRIVATE_KEY_FILE: '/run/secrets/key', HANDOFF_SERVICE_SECRET: SECRET })
      ).toEqual(['HANDOFF_PRIVATE_KEY and HANDOFF_PRIVATE_KEY_FILE are both set: set one']);
    });

    it('wants an https login URL and a username in email form', () => {
      expect(
        problems({
          ...JWT,
          HANDOFF_LOGIN_URL: 'http://login.salesforce.com',
          HANDOFF_USERNAME: 'capacity',
          HANDOFF_SERVICE_SECRET: SECRET
        })
      ).toEqual([
        'HANDOFF_LOGIN_URL is not an https URL',
        'HANDOFF_USERNAME is not a Salesforce username (they have the form of an email address)'
      ]);
      const sandbox = loadConfig({
        ...JWT,
        HANDOFF_LOGIN_URL: 'https://test.salesforce.com',
        HANDOFF_SERVICE_SECRET: SECRET
      });
      expect(sandbox.org).toMatchObject({ loginUrl: 'https://test.salesforce.com' });
    });

    it('takes an instance URL and access token, with an optional refresh token', () => {
      expect(loadConfig({ ...TOKEN, HANDOFF_SERVICE_SECRET: SECRET }).org).toEqual({
        kind: 'token',
        instanceUrl: 'http://127.0.0.1:4000',
        accessToken: '00Dxx!token'
      });
      expect(loadConfig({ ...TOKEN, HANDOFF_REFRESH_TOKEN: 'r', HANDOFF_SERVICE_SECRET: SECRET }).org).toMatchObject({
        refreshToken: 'r'
      });
      expect(problems({ HANDOFF_INSTANCE_URL: 'ftp://org', HANDOFF_SERVICE_SECRET: SECRET })).toEqual([
        'HANDOFF_INSTANCE_URL is not an http or https URL',
        'HANDOFF_ACCESS_TOKEN is missing (needed with HANDOFF_INSTANCE_URL)'
      ]);
    });

    it('takes an sf CLI alias where @salesforce/core is installed', () => {
      expect(loadConfig({ HANDOFF_TARGET_ORG: 'handoff-scratch', HANDOFF_SERVICE_SECRET: SECRET }).org).toEqual({
        kind: 'alias',
        alias: 'handoff-scratch'
      });
    });

    it('asks for one way to connect, naming the variables of each way set', () => {
      expect(problems({ ...TOKEN, HANDOFF_CLIENT_ID: 'x', HANDOFF_SERVICE_SECRET: SECRET })).toEqual([
        'set one way to connect to the org, not JWT bearer (HANDOFF_CLIENT_ID) and an access token ' +
          '(HANDOFF_INSTANCE_URL, HANDOFF_ACCESS_TOKEN)'
      ]);
      expect(problems({ HANDOFF_SERVICE_SECRET: SECRET })).toEqual([
        expect.stringMatching(
          /^no org connection is set: set HANDOFF_CLIENT_ID, HANDOFF_USERNAME and HANDOFF_PRIVATE_KEY/
        )
      ]);
    });
  });

  describe('the listeners and the secret', () => {
    it('takes PORT (or HANDOFF_SERVICE_PORT), the probe port, the host and the grace period', () => {
      const config = loadConfig({
        ...TOKEN,
        HANDOFF_SERVICE_SECRET: SECRET,
        PORT: '9000',
        HANDOFF_PROBE_PORT: '9001',
        HANDOFF_LISTEN_HOST: '127.0.0.1',
        HANDOFF_SHUTDOWN_GRACE_SECONDS: '120'
      });
      expect(config).toMatchObject({ port: 9000, probePort: 9001, host: '127.0.0.1', graceMs: 120_000 });
      expect(loadConfig({ ...TOKEN, HANDOFF_SERVICE_SECRET: SECRET, HANDOFF_SERVICE_PORT: '7000' }).port).toBe(7000);
    });

    it('reports every bad variable at once, never echoing a secret', () => {
      const found = problems({
        HANDOFF_CLIENT_ID: 'x',
        HANDOFF_USERNAME: 'capacity@handoff.example',
        HANDOFF_PRIVATE_KEY: RSA_PEM,
        HANDOFF_SERVICE_SECRET: 'too-short-secret',
        PORT: '80a',
        HANDOFF_SERVICE_PORT: '70000',
        HANDOFF_PROBE_PORT: '8080',
        HANDOFF_LISTEN_HOST: 'not a host',
        HANDOFF_SHUTDOWN_GRACE_SECONDS: '0'
      });
      expect(found).toEqual([
        'PORT is not a port number (0-65535)',
        'HANDOFF_SERVICE_PORT is not a port number (0-65535)',
        'HANDOFF_LISTEN_HOST is not an IP address or a host name',
        'HANDOFF_SHUTDOWN_GRACE_SECONDS is not a whole number of seconds (1-3600)',
        'HANDOFF_SERVICE_SECRET must be at least 32 characters (it has 16)',
        'HANDOFF_PROBE_PORT (8080) must differ from the service port (PORT or HANDOFF_SERVICE_PORT)'
      ]);
      expect(found.join('\n')).not.toContain('too-short-secret');
      expect(found.join('\n')).not.toContain('PRIVATE KEY');
    });

    it('counts a blank variable as not set', () => {
      expect(problems({ ...TOKEN, HANDOFF_SERVICE_SECRET: '   ', PORT: ' ' })).toEqual([
        'HANDOFF_SERVICE_SECRET is not set (or is blank)'
      ]);
    });

    it('refuses PORT and HANDOFF_SERVICE_PORT that disagree', () => {
      expect(
        problems({ ...TOKEN, HANDOFF_SERVICE_SECRET: SECRET, PORT: '8080', HANDOFF_SERVICE_PORT: '9000' })
      ).toEqual(['PORT (8080) and HANDOFF_SERVICE_PORT (9000) disagree: set one, or set both the same']);
    });
  });
});
