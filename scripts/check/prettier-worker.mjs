// Checks files with Prettier's API (in its own process: prettier-plugin-apex is an ES module) and prints JSON
// findings. Input on stdin: { "root": "/abs/project", "files": ["/abs/file", ...] }.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as prettier from 'prettier';

const require = createRequire(import.meta.url);
const input = JSON.parse(readFileSync(0, 'utf8'));
const findings = [];
let checked = 0;
let apex = 0;

/** prettier-plugin-apex reports syntax errors without a position; its parser knows it, so ask it directly. */
function apexSyntaxLocation(source) {
  let serializer;
  try {
    const pkg = `@prettier-apex/apex-ast-serializer-${process.platform}-${process.arch}`;
    serializer = path.join(
      path.dirname(require.resolve(`${pkg}/package.json`)),
      `apex-ast-serializer-${process.platform}-${process.arch}`
    );
  } catch {
    return undefined;
  }
  const result = spawnSync(serializer, [], { input: source, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  try {
    const output = JSON.parse(result.stdout)['apex.jorje.semantic.compiler.parser.ParserOutput'];
    const loc = output?.parseErrors?.[0]?.error?.error?.loc ?? output?.parseErrors?.[0]?.error?.loc;
    return loc ? { line: loc.line, column: loc.column } : undefined;
  } catch {
    return undefined;
  }
}

function firstDifference(a, b) {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) if (left[i] !== right[i]) return i + 1;
  return 1;
}

for (const file of input.files) {
  const relative = path.relative(input.root, file).split(path.sep).join('/');
  const info = await prettier.getFileInfo(file, {
    ignorePath: path.join(input.root, '.prettierignore'),
    plugins: ['prettier-plugin-apex'].map((name) => import.meta.resolve(name))
  });
  if (info.ignored || !info.inferredParser) continue;
  checked++;
  if (/\.(cls|trigger)$/.test(file)) apex++;
  const config = (await prettier.resolveConfig(file)) ?? {};
  // Plugins are named relative to the config file; load them from this repository so checking a project
  // elsewhere (a fixture in a temp folder) uses the same plugin versions.
  const plugins = await Promise.all(
    (config.plugins ?? []).map((name) => (typeof name === 'string' ? import(import.meta.resolve(name)) : name))
  );
  const options = { ...config, plugins, filepath: file };
  const source = readFileSync(file, 'utf8');
  try {
    const formatted = await prettier.format(source, options);
    if (formatted !== source) {
      findings.push({
        file: relative,
        line: firstDifference(source, formatted),
        message: 'not formatted as Prettier would format it (run npm run prettier)',
        rule: 'prettier:format'
      });
    }
  } catch (error) {
    const where = error.loc?.start ?? (/\.(cls|trigger)$/.test(file) ? apexSyntaxLocation(source) : undefined);
    findings.push({
      file: relative,
      line: where?.line,
      column: where?.column,
      message: `syntax error: ${String(error.message).split('\n')[0]}`,
      rule: 'prettier:syntax'
    });
  }
}
process.stdout.write(JSON.stringify({ findings, checked, apex }));
