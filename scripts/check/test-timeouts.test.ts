import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectTimeoutProblems, timeoutProblems } from './test-timeouts';

const ROOT = path.resolve(__dirname, '..', '..');

const problems = (source: string) =>
  timeoutProblems('planted.test.ts', source).map((problem) => `${problem.line}: ${problem.message}`);

describe('tests that start a process, a server or a browser set a generous timeout', () => {
  it('holds for every test file of the project', () => {
    expect(projectTimeoutProblems(ROOT)).toEqual([]);
  });

  it('recognises the browser tests, which start their org, preview and browser through the browser session', () => {
    const dir = path.join(ROOT, 'scripts', 'preview');
    const browserTests = fs.readdirSync(dir).filter((name) => /^e2e.*\.test\.ts$/.test(name));
    expect(browserTests.length).toBeGreaterThan(0);
    for (const name of browserTests) {
      const source = fs.readFileSync(path.join(dir, name), 'utf8').replace(/^jest\.setTimeout\(.*\);$/m, '');
      expect({ name, problems: timeoutProblems(name, source).length }).toEqual({ name, problems: 1 });
    }
  });

  it('fails a file that spawns a process on the 5 s default', () => {
    const found = problems(
      [
        "import { spawn } from 'node:child_process';",
        "it('runs', async () => {",
        "  spawn('sleep', ['1']);",
        '});'
      ].join('\n')
    );
    expect(found).toEqual([expect.stringMatching(/^2: starts a process \(line 3\) but this it\(\) has no timeout/)]);
  });

  it.each([
    ['starts a server', "app.listen(0, '127.0.0.1');"],
    ['starts a local org', 'await createLocalOrg({ projectRoot, dataDir });'],
    ['starts a browser', 'const browser = await chromium.launch();'],
    ['starts a local org, the preview server and a browser', "const session = browserSession({ name: 'x' });"],
    ['runs a command', "await runSf(home, token, ['org', 'list']);"],
    ['runs a gate whose tool is a process', 'await prettierGate.run({ root });']
  ])('fails a file that %s without a timeout', (what, line) => {
    expect(problems(`it('works', async () => {\n  ${line}\n});`)).toEqual([expect.stringContaining(what)]);
  });

  it('fails a file-wide timeout below 30 s', () => {
    expect(problems("jest.setTimeout(5000);\nit('x', () => { execFile('true'); });")).toEqual([
      expect.stringMatching(/^1: jest.setTimeout\(5000\) is below 30000 ms/)
    ]);
  });

  it('fails a test or hook left without its own timeout when there is no file-wide one', () => {
    const source = [
      "beforeAll(async () => { server.listen(0, '127.0.0.1'); }, 60_000);",
      "it('one', async () => undefined, 60_000);",
      "it('two', async () => undefined);"
    ].join('\n');
    expect(problems(source)).toEqual([expect.stringMatching(/^3: starts a server \(line 1\) but this it\(\) has no/)]);
  });

  it('accepts jest.setTimeout, per-test and per-hook timeouts, named constants and products', () => {
    expect(problems("jest.setTimeout(120_000);\nit('x', () => { spawn('true'); });")).toEqual([]);
    expect(problems("const LONG = 2 * 60_000;\njest.setTimeout(LONG);\nit('x', () => { spawn('true'); });")).toEqual(
      []
    );
    expect(
      problems(
        [
          'const TIMEOUT = 60_000;',
          "beforeAll(async () => { server.listen(0, '127.0.0.1'); }, TIMEOUT);",
          "it.each([1, 2])('case %s', async () => undefined, TIMEOUT);",
          "test('one', async () => undefined, 90_000);"
        ].join('\n')
      )
    ).toEqual([]);
  });

  it('ignores files that start nothing, a RegExp exec, and comments', () => {
    expect(problems("it('x', () => { /a/.exec('a'); pattern.exec('b'); });\n// spawn(a process) in a comment")).toEqual(
      []
    );
  });
});
