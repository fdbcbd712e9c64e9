import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/**
 * Installed packages that run install scripts: `preinstall`, `install`, `postinstall`, or a `binding.gyp` (npm runs
 * `node-gyp rebuild` for it), as `npm install-scripts ls` reports them.
 */
function packagesWithInstallScripts(modules: string): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(full);
        continue;
      }
      const manifestFile = path.join(full, 'package.json');
      if (fs.existsSync(manifestFile)) {
        const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
          name?: string;
          scripts?: Record<string, string>;
        };
        const scripts = ['preinstall', 'install', 'postinstall'].filter((name) => manifest.scripts?.[name]);
        if (scripts.length === 0 && fs.existsSync(path.join(full, 'binding.gyp'))) scripts.push('binding.gyp');
        if (manifest.name && scripts.length > 0) found.set(manifest.name, scripts.join(', '));
      }
      visit(path.join(full, 'node_modules'));
    }
  };
  visit(modules);
  return found;
}

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

  // npm runs a dependency's install scripts only when package.json's allowScripts approves it (npm warns about, and
  // with strict-allow-scripts refuses, any it does not cover; `npm help install-scripts`). The Node above comes from
  // the `node` package's preinstall script, so it must stay approved; every other one is reviewed and denied.
  it('approves the install script that brings Node 22 and reviews every other one', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const reviewed = new Map(
      Object.entries(manifest.allowScripts ?? {}).map(([key, allowed]) => [key.replace(/(.)@[^@]*$/, '$1'), allowed])
    );
    expect(reviewed.get('node')).toBe(true);
    const unreviewed = [...packagesWithInstallScripts(path.join(ROOT, 'node_modules'))]
      .filter(([name]) => !reviewed.has(name))
      .map(([name, scripts]) => `${name} (${scripts})`);
    expect(unreviewed).toEqual([]);
  }, 60_000);
});
