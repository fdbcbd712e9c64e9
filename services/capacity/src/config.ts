import { createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { checkSecret } from './http/auth';

/** How the service reaches the org. The JWT private key is held in memory, never written to disk. */
export type OrgTarget =
  | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKey: string }
  | { kind: 'alias'; alias: string }
  | { kind: 'token'; instanceUrl: string; accessToken: string; refreshToken?: string };

export interface ServeConfig {
  org: OrgTarget;
  secret: string;
  /** The authenticated API. 0 picks a free port (tests). */
  port: number;
  /** The unauthenticated probe listener: GET /livez and GET /readyz only. */
  probePort: number;
  host: string;
  /** How long SIGTERM waits for the current run before the process gives up on it. */
  graceMs: number;
}

/** Every problem with the environment at once, so that an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The capacity service cannot start. Fix these environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`
    );
    this.name = 'ConfigError';
  }
}

const JWT_VARS = [
  'HANDOFF_CLIENT_ID',
  'HANDOFF_USERNAME',
  'HANDOFF_PRIVATE_KEY',
  'HANDOFF_PRIVATE_KEY_FILE',
  'HANDOFF_LOGIN_URL'
] as const;
const TOKEN_VARS = ['HANDOFF_INSTANCE_URL', 'HANDOFF_ACCESS_TOKEN', 'HANDOFF_REFRESH_TOKEN'] as const;
const JWT = 'the JWT bearer flow';
// Salesforce usernames have the form of an email address.
const USERNAME = /^[^\s@]+@[^\s@]+$/;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** A variable set to nothing (or spaces) counts as not set. */
const text = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().optional()
);

const port = (name: string) =>
  text.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: `${name} is not a port number (0-65535)` })
      .transform(Number)
      .refine((value) => value <= 65_535, { error: `${name} is not a port number (0-65535)` })
      .optional()
  );

const url = (name: string, httpsOnly: boolean) =>
  text.pipe(
    z
      .string()
      .refine(
        (value) => {
          if (!URL.canParse(value)) return false;
          const protocol = new URL(value).protocol;
          return protocol === 'https:' || (!httpsOnly && protocol === 'http:');
        },
        { error: `${name} is not ${httpsOnly ? 'an https' : 'an http or https'} URL` }
      )
      .optional()
  );

const fields = z.object({
  HANDOFF_LOGIN_URL: url('HANDOFF_LOGIN_URL', true),
  HANDOFF_CLIENT_ID: text,
  HANDOFF_USERNAME: text.refine((value) => value === undefined || USERNAME.test(value), {
    error: 'HANDOFF_USERNAME is not a Salesforce username (they have the form of an email address)'
  }),
  HANDOFF_PRIVATE_KEY: text,
  HANDOFF_PRIVATE_KEY_FILE: text,
  HANDOFF_TARGET_ORG: text,
  HANDOFF_INSTANCE_URL: url('HANDOFF_INSTANCE_URL', false),
  HANDOFF_ACCESS_TOKEN: text,
  HANDOFF_REFRESH_TOKEN: text,
  PORT: port('PORT'),
  HANDOFF_SERVICE_PORT: port('HANDOFF_SERVICE_PORT'),
  HANDOFF_PROBE_PORT: port('HANDOFF_PROBE_PORT'),
  HANDOFF_LISTEN_HOST: text.refine((value) => value === undefined || isIP(value) !== 0 || HOSTNAME.test(value), {
    error: 'HANDOFF_LISTEN_HOST is not an IP address or a host name'
  }),
  HANDOFF_SHUTDOWN_GRACE_SECONDS: text.pipe(
    z
      .string()
      .regex(/^\d+$/, { error: 'HANDOFF_SHUTDOWN_GRACE_SECONDS is not a whole number of seconds (1-3600)' })
      .transform(Number)
      .refine((value) => value >= 1 && value <= 3600, {
        error: 'HANDOFF_SHUTDOWN_GRACE_SECONDS is not a whole number of seconds (1-3600)'
      })
      .optional()
  )
});

/**
 * Reads the service's configuration from environment variables alone. Checks every variable before anything starts
 * and throws one ConfigError naming each missing or invalid variable. Secret values are never echoed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const problems: string[] = [];
  // Field by field, so that one bad variable does not hide the others.
  const data: Partial<z.infer<typeof fields>> = {};
  const invalid = new Set<string>();
  for (const [name, schema] of Object.entries(fields.shape)) {
    const parsed = schema.safeParse(env[name]);
    if (parsed.success) Object.assign(data, { [name]: parsed.data });
    else {
      invalid.add(name);
      problems.push(...parsed.error.issues.map((issue) => issue.message));
    }
  }
  const isSet = (name: string) => typeof env[name] === 'string' && env[name].trim() !== '';

  const ways = [
    { kind: 'jwt', label: `JWT bearer (${JWT_VARS.filter(isSet).join(', ')})`, on: JWT_VARS.some(isSet) },
    { kind: 'alias', label: 'an sf CLI alias (HANDOFF_TARGET_ORG)', on: isSet('HANDOFF_TARGET_ORG') },
    { kind: 'token', label: `an access token (${TOKEN_VARS.filter(isSet).join(', ')})`, on: TOKEN_VARS.some(isSet) }
  ].filter((way) => way.on);

  let org: OrgTarget | undefined;
  if (ways.length === 0) {
    problems.push(
      'no org connection is set: set HANDOFF_CLIENT_ID, HANDOFF_USERNAME and HANDOFF_PRIVATE_KEY (or ' +
        'HANDOFF_PRIVATE_KEY_FILE) for the JWT bearer flow, or HANDOFF_TARGET_ORG for an sf CLI alias, or ' +
        'HANDOFF_INSTANCE_URL and HANDOFF_ACCESS_TOKEN'
    );
  } else if (ways.length > 1) {
    problems.push(`set one way to connect to the org, not ${ways.map((way) => way.label).join(' and ')}`);
  } else if (ways[0]!.kind === 'jwt') {
    const clientId = data.HANDOFF_CLIENT_ID;
    const username = data.HANDOFF_USERNAME;
    if (!isSet('HANDOFF_CLIENT_ID')) problems.push(`HANDOFF_CLIENT_ID is missing (needed for ${JWT})`);
    if (!isSet('HANDOFF_USERNAME')) problems.push(`HANDOFF_USERNAME is missing (needed for ${JWT})`);
    const privateKey = readPrivateKey(env, problems);
    const loginUrl = data.HANDOFF_LOGIN_URL ?? 'https://login.salesforce.com';
    if (clientId && username && privateKey && !invalid.has('HANDOFF_LOGIN_URL')) {
      org = { kind: 'jwt', loginUrl, clientId, username, privateKey };
    }
  } else if (ways[0]!.kind === 'alias') {
    if (canLoad('@salesforce/core')) org = { kind: 'alias', alias: env.HANDOFF_TARGET_ORG!.trim() };
    else {
      problems.push(
        'HANDOFF_TARGET_ORG needs @salesforce/core (the sf CLI library), which this installation leaves out: ' +
          `use ${JWT} instead, or run from a checkout with its devDependencies`
      );
    }
  } else {
    const instanceUrl = data.HANDOFF_INSTANCE_URL;
    const accessToken = data.HANDOFF_ACCESS_TOKEN;
    if (!isSet('HANDOFF_INSTANCE_URL')) {
      problems.push('HANDOFF_INSTANCE_URL is missing (needed with HANDOFF_ACCESS_TOKEN)');
    }
    if (!isSet('HANDOFF_ACCESS_TOKEN')) {
      problems.push('HANDOFF_ACCESS_TOKEN is missing (needed with HANDOFF_INSTANCE_URL)');
    }
    if (instanceUrl && accessToken) {
      const refreshToken = data.HANDOFF_REFRESH_TOKEN;
      org = { kind: 'token', instanceUrl, accessToken, ...(refreshToken ? { refreshToken } : {}) };
    }
  }

  let secret: string | undefined;
  try {
    secret = checkSecret(env.HANDOFF_SERVICE_SECRET);
  } catch (error) {
    problems.push((error as Error).message);
  }

  const platformPort = data.PORT;
  const servicePort = data.HANDOFF_SERVICE_PORT;
  if (platformPort !== undefined && servicePort !== undefined && platformPort !== servicePort) {
    problems.push(
      `PORT (${platformPort}) and HANDOFF_SERVICE_PORT (${servicePort}) disagree: set one, or set both the same`
    );
  }
  const port = platformPort ?? servicePort ?? 8080;
  const probePort = data.HANDOFF_PROBE_PORT ?? 8081;
  if (port !== 0 && port === probePort) {
    problems.push(`HANDOFF_PROBE_PORT (${probePort}) must differ from the service port (PORT or HANDOFF_SERVICE_PORT)`);
  }
  const grace = data.HANDOFF_SHUTDOWN_GRACE_SECONDS;

  if (problems.length > 0 || !org || !secret) throw new ConfigError(problems);
  return {
    org,
    secret,
    port,
    probePort,
    host: data.HANDOFF_LISTEN_HOST ?? '0.0.0.0',
    graceMs: (grace ?? 25) * 1000
  };
}

/** The PEM key from HANDOFF_PRIVATE_KEY or HANDOFF_PRIVATE_KEY_FILE (exactly one), checked to be an RSA key. */
function readPrivateKey(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const inline = env.HANDOFF_PRIVATE_KEY?.trim() ? env.HANDOFF_PRIVATE_KEY : undefined;
  const file = env.HANDOFF_PRIVATE_KEY_FILE?.trim();
  if (inline && file) {
    problems.push('HANDOFF_PRIVATE_KEY and HANDOFF_PRIVATE_KEY_FILE are both set: set one');
    return undefined;
  }
  if (!inline && !file) {
    problems.push(`HANDOFF_PRIVATE_KEY is missing (needed for ${JWT}; or set HANDOFF_PRIVATE_KEY_FILE to a PEM file)`);
    return undefined;
  }
  const name = inline ? 'HANDOFF_PRIVATE_KEY' : 'HANDOFF_PRIVATE_KEY_FILE';
  let pem: string;
  if (inline) {
    // Some secret stores and .env files carry a PEM on one line with literal "\n"; a real newline means it is intact.
    pem = inline.includes('\n') ? inline : inline.replace(/\\n/g, '\n');
  } else {
    try {
      pem = fs.readFileSync(file!, 'utf8');
    } catch (error) {
      problems.push(`HANDOFF_PRIVATE_KEY_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }
  try {
    if (createPrivateKey(pem).asymmetricKeyType !== 'rsa') {
      problems.push(`${name} is not an RSA private key (the JWT bearer flow signs with RS256)`);
      return undefined;
    }
  } catch {
    problems.push(`${name} is not a private key in PEM form`);
    return undefined;
  }
  return pem;
}

function canLoad(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
