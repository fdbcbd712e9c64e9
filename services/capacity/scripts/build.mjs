// `npm run build`: compiles the service to plain JavaScript in dist/ (or --out-dir <dir>), with the engine's plain
// .js files beside the compiled ones: the Monte Carlo worker threads load monte-carlo-worker.js by path.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '..');
const src = path.join(pkg, 'src');
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const out = path.resolve(values['out-dir'] ?? path.join(pkg, 'dist'));

fs.rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(pkg, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit'
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const copied = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.js') && !entry.name.endsWith('.test.js')) {
      const target = path.join(out, path.relative(src, full));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(full, target);
      copied.push(path.relative(src, full));
    }
  }
};
walk(src);
for (const needed of ['serve.js', path.join('engine', 'monte-carlo-worker.js')]) {
  if (!fs.existsSync(path.join(out, needed))) {
    console.error(`build: ${needed} is missing from ${out}`);
    process.exit(1);
  }
}
console.log(
  `build: compiled to ${path.relative(process.cwd(), out) || '.'} (plain JavaScript copied: ${copied.join(', ')})`
);
