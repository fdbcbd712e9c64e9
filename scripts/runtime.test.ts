import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

describe('runtime', () => {
  // @salesforce/cli 2.15x, @salesforce/core 9 and jsforce 3.10.2x need Node >= 22; the `node` devDependency brings it.
  it('runs under Node 22, whatever Node the machine has', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(22);
  });

  it('is the Node installed by the project, not the machine one', () => {
    const projectNode = fs.realpathSync(path.join(ROOT, 'node_modules', '.bin', 'node'));
    expect(fs.realpathSync(process.execPath)).toBe(projectNode);
  });

  it('declares the same Node major in engines as the one it brings', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    expect(manifest.devDependencies.node).toMatch(/^\^22\./);
    expect(manifest.engines.node).toMatch(/^>=22/);
  });
});
