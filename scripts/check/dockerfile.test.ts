import * as fs from 'node:fs';
import * as path from 'node:path';
import { dockerfileProblems, dockerignoreProblems, runtimeInstall } from './dockerfile';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCKERFILE = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

/** Replaces `from` (which must occur) in the real Dockerfile: each planted defect starts from the file we ship. */
function plant(from: string | RegExp, to: string): string {
  const planted = DOCKERFILE.replace(from, to);
  expect(planted).not.toBe(DOCKERFILE);
  return planted;
}

describe('the capacity service Dockerfile', () => {
  it('passes the validator and every image rule', () => {
    expect(dockerfileProblems(DOCKERFILE)).toEqual([]);
  });

  it('keeps secrets, checkouts and dependency trees out of the build context', () => {
    expect(dockerignoreProblems(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'))).toEqual([]);
    expect(dockerignoreProblems('node_modules\n.git\n')).toEqual([
      '.dockerignore does not exclude **/node_modules',
      '.dockerignore does not exclude **/dist',
      '.dockerignore does not exclude .env',
      '.dockerignore does not exclude *.pem'
    ]);
  });

  it('tells what the runtime stage installs, for the test that installs it for real', () => {
    expect(runtimeInstall(DOCKERFILE)).toEqual({
      manifests: ['package.json', 'package-lock.json', 'services/capacity/package.json'],
      commands: ['npm ci --omit=dev -w @handoff/capacity --no-audit --no-fund']
    });
  });

  const planted: [string, string, string][] = [
    ['a misspelt instruction', plant('WORKDIR /app', 'WORKDRI /app'), 'dockerfile-utils:'],
    [
      'an unpinned base image',
      plant(/FROM node:22-bookworm-slim AS runtime/, 'FROM node:latest AS runtime'),
      'base image node:latest is not Node 22'
    ],
    [
      'another Node major',
      plant(/FROM node:22-bookworm-slim AS build/, 'FROM node:20-slim AS build'),
      'base image node:20-slim is not Node 22'
    ],
    [
      'a single stage',
      DOCKERFILE.slice(DOCKERFILE.indexOf('FROM node:22-bookworm-slim AS runtime')),
      'not multi-stage'
    ],
    ['no build', plant('RUN npm run build\n', ''), 'no build stage runs `npm run build`'],
    [
      'devDependencies in the runtime',
      plant(' npm ci --omit=dev -w @handoff/capacity', ' npm ci -w @handoff/capacity'),
      'only production dependencies of the capacity workspace'
    ],
    [
      'every workspace in the runtime',
      plant(' npm ci --omit=dev -w @handoff/capacity', ' npm ci --omit=dev'),
      'only production dependencies of the capacity workspace'
    ],
    ['npm install in the runtime', plant('USER node', 'RUN npm install left-pad\nUSER node'), 'other than by `npm ci`'],
    ['sources copied into the runtime', plant('USER node', 'COPY . .\nUSER node'), 'copies . from the build context'],
    [
      'no dist',
      plant('COPY --from=build /app/services/capacity/dist services/capacity/dist\n', ''),
      'does not copy services/capacity/dist'
    ],
    [
      'a build without devDependencies',
      plant('npm ci --no-audit --no-fund', 'npm ci --omit=dev --no-audit --no-fund'),
      'does not run `npm ci` with its devDependencies'
    ],
    ['an entrypoint', plant('USER node', 'ENTRYPOINT ["sh"]\nUSER node'), 'has an ENTRYPOINT'],
    ['root', plant('USER node', 'USER root'), 'non-root USER'],
    ['no user', plant('USER node\n', ''), 'non-root USER'],
    ['no probe port', plant('EXPOSE 8080 8081', 'EXPOSE 8080'), 'does not EXPOSE 8081'],
    ['no healthcheck', plant(/HEALTHCHECK[^\n]*\\\n[^\n]*\n/, ''), 'no HEALTHCHECK'],
    [
      'a shell-form CMD',
      plant('CMD ["node", "services/capacity/dist/serve.js"]', 'CMD node services/capacity/dist/serve.js'),
      'exec form'
    ],
    [
      'another entry file',
      plant('CMD ["node", "services/capacity/dist/serve.js"]', 'CMD ["node", "services/capacity/src/serve.ts"]'),
      'exec form'
    ],
    [
      'a baked secret',
      plant('ENV NODE_ENV=production', 'ENV NODE_ENV=production HANDOFF_SERVICE_SECRET=abc'),
      'HANDOFF_SERVICE_SECRET is set in the image'
    ]
  ];
  it.each(planted)('catches %s', (_name, text, expected) => {
    const messages = dockerfileProblems(text).map((problem) => problem.message);
    expect(messages.join('\n')).toContain(expected);
  });
});
