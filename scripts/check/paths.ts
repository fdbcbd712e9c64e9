import * as fs from 'node:fs';
import * as path from 'node:path';

/** Lists files below `dir` (absolute paths) whose names satisfy `accept`, skipping node_modules and dot folders. */
export function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    if (!fs.existsSync(current)) return;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (accept(entry.name)) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/** The package directories an SFDX project declares (absolute paths). */
export function packageDirectories(root: string): string[] {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { path: string }[];
  };
  return project.packageDirectories.map((dir) => path.join(root, dir.path));
}

export function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** 1-based line of a character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Lightning web component bundles of the project, by name: force-app is folded by feature, so each feature has its
 * own `lwc` folder. Returns name → bundle folder (absolute), sorted by name.
 */
export function lwcBundles(root: string): Map<string, string> {
  const bundles = new Map<string, string>();
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name !== 'lwc') {
        walk(full);
        continue;
      }
      for (const bundle of fs.readdirSync(full, { withFileTypes: true })) {
        if (bundle.isDirectory()) bundles.set(bundle.name, path.join(full, bundle.name));
      }
    }
  };
  for (const dir of packageDirectories(root)) walk(dir);
  return new Map([...bundles].sort(([a], [b]) => a.localeCompare(b)));
}
