import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * Tests that start a process, a server or a browser wait on the machine, and on a shared 2-core machine jest's 5 s
 * default fails them at random. Such a test file must set its own timeout of at least MIN_TIMEOUT_MS: `jest.setTimeout`
 * at the top, or a timeout argument on every test and hook it declares.
 */
export const MIN_TIMEOUT_MS = 30_000;

/** What starts a process, a server or a browser, directly or through this repository's helpers that do. */
const STARTERS: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(?:spawn|spawnSync|execFile|execFileSync|execSync|fork)\s*\(/, what: 'starts a process' },
  { pattern: /(?<![.\w])exec\s*\(/, what: 'starts a process' },
  { pattern: /\.listen\s*\(/, what: 'starts a server' },
  { pattern: /\bcreateServer\s*\(/, what: 'starts a server' },
  { pattern: /\bcreateLocalOrg\s*\(|\bstartTestOrg\s*\(/, what: 'starts a local org' },
  { pattern: /\bstartPreview\s*\(/, what: 'starts the preview server' },
  {
    pattern: /\bbrowserSession\s*\(/,
    what: 'starts a local org, the preview server and a browser (scripts/preview/testing/browser-session.ts)'
  },
  { pattern: /\brunSf\s*\(|\brunScript\s*\(|\brunProcess\s*\(/, what: 'runs a command' },
  {
    pattern: /\b(?:prettier|eslint|tsc|apexLs|pmd|lwcJest|nodeJest)Gate\.run\s*\(|\brunNode\s*\(/,
    what: 'runs a gate whose tool is a process'
  },
  { pattern: /chromium|playwright/i, what: 'starts a browser' }
];

const TESTS = new Set(['it', 'test', 'fit', 'xit']);
const HOOKS = new Set(['beforeAll', 'beforeEach', 'afterAll', 'afterEach']);

export interface TimeoutProblem {
  file: string;
  line: number;
  message: string;
}

/** Test files (`*.test.ts`, `*.test.js`) below `dirs`, skipping node_modules and planted-defect fixtures. */
export function testFiles(root: string, dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.') || full.endsWith(`check${path.sep}fixtures`))
          continue;
        walk(full);
      } else if (/\.test\.[jt]s$/.test(entry.name)) found.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return found.sort();
}

/** The value of a numeric expression: literals, `a * b` and the like, and `const` names bound to those. */
function numberOf(
  node: ts.Expression | undefined,
  constants: Map<string, ts.Expression>,
  depth = 0
): number | undefined {
  if (!node || depth > 5) return undefined;
  if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ''));
  if (ts.isParenthesizedExpression(node)) return numberOf(node.expression, constants, depth + 1);
  if (ts.isIdentifier(node)) return numberOf(constants.get(node.text), constants, depth + 1);
  if (ts.isBinaryExpression(node)) {
    const left = numberOf(node.left, constants, depth + 1);
    const right = numberOf(node.right, constants, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** `it`, `test.only`, `it.each(table)`, `beforeAll`...: the jest function a call declares, if any. */
function declared(call: ts.CallExpression): string | undefined {
  if (ts.isCallExpression(call.parent) && call.parent.expression === call) return undefined; // the `it.each(table)` part
  let callee: ts.Expression = call.expression;
  if (ts.isCallExpression(callee)) callee = callee.expression; // it.each(table)(name, fn, timeout)
  while (ts.isPropertyAccessExpression(callee) && ['only', 'skip', 'each', 'concurrent'].includes(callee.name.text)) {
    callee = callee.expression;
  }
  return ts.isIdentifier(callee) && (TESTS.has(callee.text) || HOOKS.has(callee.text)) ? callee.text : undefined;
}

/** The source with string, template and RegExp literals blanked (line breaks kept): what the file runs, not says. */
function codeOnly(code: ts.SourceFile): string {
  const text = code.text.split('');
  const blank = (node: ts.Node) => {
    for (let index = node.getStart(code); index < node.getEnd(); index++) if (text[index] !== '\n') text[index] = ' ';
  };
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node) ||
      ts.isRegularExpressionLiteral(node)
    ) {
      blank(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(code);
  return text.join('');
}

/** Problems of one test file's source: it starts something and does not give itself a generous timeout. */
export function timeoutProblems(file: string, source: string): TimeoutProblem[] {
  const code = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const withoutComments = codeOnly(code).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const starter = STARTERS.find((candidate) => candidate.pattern.test(withoutComments));
  if (!starter) return [];
  const startLine = withoutComments.split('\n').findIndex((line) => starter.pattern.test(line)) + 1;

  const constants = new Map<string, ts.Expression>();
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (ts.isVariableDeclarationList(node.parent) && node.parent.flags & ts.NodeFlags.Const) {
        constants.set(node.name.text, node.initializer);
      }
    }
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(code);
  const lineOf = (node: ts.Node) => code.getLineAndCharacterOfPosition(node.getStart()).line + 1;

  const problems: TimeoutProblem[] = [];
  const setTimeouts = calls.filter(
    (call) =>
      ts.isPropertyAccessExpression(call.expression) &&
      ts.isIdentifier(call.expression.expression) &&
      call.expression.expression.text === 'jest' &&
      call.expression.name.text === 'setTimeout'
  );
  for (const call of setTimeouts) {
    const value = numberOf(call.arguments[0], constants);
    if (value === undefined || value < MIN_TIMEOUT_MS) {
      problems.push({
        file,
        line: lineOf(call),
        message: `jest.setTimeout(${call.arguments[0]?.getText() ?? ''}) is below ${MIN_TIMEOUT_MS} ms (or not a number this check can read)`
      });
    }
  }
  if (setTimeouts.length > 0) return problems;

  // No file-wide timeout: every test and hook must carry its own.
  const declarations = calls.filter((call) => declared(call) !== undefined);
  const lacking = declarations.filter((call) => {
    const kind = declared(call)!;
    const timeout = call.arguments[HOOKS.has(kind) ? 1 : 2];
    const value = numberOf(timeout, constants);
    return value === undefined || value < MIN_TIMEOUT_MS;
  });
  if (declarations.length === 0 || lacking.length > 0) {
    const first = lacking[0];
    problems.push({
      file,
      line: first ? lineOf(first) : startLine,
      message:
        `${starter.what} (line ${startLine}) but ${first ? `this ${declared(first)}() has` : 'it has'} no timeout of ` +
        `at least ${MIN_TIMEOUT_MS} ms: add jest.setTimeout(...) at the top, or a timeout on every test and hook ` +
        `(jest's default, 5 s, fails at random on a busy machine)`
    });
  }
  return problems;
}

/** Every test file of the project that starts something without a generous timeout. */
export function projectTimeoutProblems(root: string, dirs = ['services', 'scripts', 'force-app']): TimeoutProblem[] {
  return testFiles(root, dirs).flatMap((file) =>
    timeoutProblems(path.relative(root, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8'))
  );
}
