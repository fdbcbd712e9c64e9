import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, packageDirectories, relative } from './paths';

/**
 * force-app is folded by feature: `<package dir>/main/<feature>/<metadata type folder>/...`, so a newcomer finds a
 * behaviour's objects, classes, components and tests together. These are the rules that keep it that way:
 * - every source file sits in a feature folder (nothing left in `main/default` or loose in `main`);
 * - an Apex test class `FooTest` sits in the feature of the class `Foo` it tests;
 * - an object folder (`objects/X`) exists in one feature only, with the object's layouts and tab beside it
 *   (the schema loader reads one folder per object; two would be two half-objects).
 */
export interface LayoutProblem {
  file: string;
  message: string;
}

/** The feature folder a file belongs to (`lifecycle` for `force-app/main/lifecycle/classes/X.cls`), if any. */
function featureOf(packageDir: string, file: string): string | undefined {
  const parts = path.relative(packageDir, file).split(path.sep);
  return parts[0] === 'main' && parts.length > 3 ? parts[1] : undefined;
}

export function layoutProblems(root: string): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const classFeature = new Map<string, { feature: string; file: string }>();
  const objectFeature = new Map<string, { feature: string; file: string }>();
  const objectParts: { object: string; feature: string; file: string; kind: 'part' | 'layout' | 'tab' }[] = [];

  for (const packageDir of packageDirectories(root)) {
    for (const file of listFiles(packageDir, () => true)) {
      const display = relative(root, file);
      if (!path.relative(packageDir, file).startsWith(`main${path.sep}`)) continue; // test helpers and the like
      const feature = featureOf(packageDir, file);
      if (!feature || feature === 'default') {
        problems.push({ file: display, message: 'not in a feature folder: move it to main/<feature>/<type>/' });
        continue;
      }
      const name = path.basename(file);
      const parent = path.basename(path.dirname(file));
      if (parent === 'classes' && name.endsWith('.cls')) {
        classFeature.set(name.slice(0, -'.cls'.length).toLowerCase(), { feature, file: display });
      }
      const objectMatch = /(?:^|\/)objects\/([^/]+)\/\1\.object-meta\.xml$/.exec(display);
      if (objectMatch) {
        const object = objectMatch[1]!.toLowerCase();
        const earlier = objectFeature.get(object);
        if (earlier && earlier.feature !== feature) {
          problems.push({
            file: display,
            message: `object ${objectMatch[1]} is also defined in feature "${earlier.feature}" (${earlier.file})`
          });
        } else objectFeature.set(object, { feature, file: display });
      }
      const fieldMatch = /(?:^|\/)objects\/([^/]+)\/[^/]+\/[^/]+-meta\.xml$/.exec(display);
      if (fieldMatch) objectParts.push({ object: fieldMatch[1]!.toLowerCase(), feature, file: display, kind: 'part' });
      if (parent === 'layouts') {
        objectParts.push({ object: name.split('-')[0]!.toLowerCase(), feature, file: display, kind: 'layout' });
      }
      if (parent === 'tabs' && name.endsWith('.tab-meta.xml')) {
        const object = name.slice(0, -'.tab-meta.xml'.length).toLowerCase();
        objectParts.push({ object, feature, file: display, kind: 'tab' });
      }
    }
  }

  for (const [name, where] of classFeature) {
    if (!name.endsWith('test')) continue;
    const tested = classFeature.get(name.slice(0, -'test'.length));
    if (tested && tested.feature !== where.feature) {
      problems.push({
        file: where.file,
        message: `tests ${path.basename(tested.file, '.cls')}, which lives in feature "${tested.feature}": keep them together`
      });
    }
  }
  // A standard object extended in source has no object file: its first part found decides its feature.
  for (const part of objectParts) {
    if (part.kind === 'part' && !objectFeature.has(part.object)) objectFeature.set(part.object, part);
  }
  for (const part of objectParts) {
    const owner = objectFeature.get(part.object);
    if (owner && owner.feature !== part.feature) {
      problems.push({
        file: part.file,
        message: `belongs with its object in feature "${owner.feature}" (${owner.file})`
      });
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file));
}

/** The feature folders of the project's package directories (for the README and the tests). */
export function features(root: string): string[] {
  return packageDirectories(root).flatMap((dir) => {
    const main = path.join(dir, 'main');
    if (!fs.existsSync(main)) return [];
    return fs
      .readdirSync(main, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  });
}
