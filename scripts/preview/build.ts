import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import lwc from '@lwc/rollup-plugin';
import { rollup, type Plugin } from 'rollup';
import * as ts from 'typescript';
import { lwcBundles } from '../check/paths';

const ROOT = path.resolve(__dirname, '..', '..');
/** Component bundles by name, from every feature's `lwc` folder. */
const BUNDLES = lwcBundles(ROOT);
const CLIENT_DIR = path.join(__dirname, 'client');
const LBC_DIR = path.join(ROOT, 'node_modules', 'lightning-base-components');

/** The components the preview page shows, by folder name; a folder that is missing is reported on the page. */
export const PAGE_COMPONENTS = [
  'capacityHeatmap',
  'forecastAccuracy',
  'forecastHealth',
  'deliveryOutlook',
  'engagementHandoff',
  'engagementSummary',
  'dealHandoffQuestions',
  'clientHierarchy',
  'handoffAlerts',
  'billingMilestones',
  'capacityScenarios',
  'staffingRecommendations',
  'integrationOutbox'
] as const;

/** Platform modules that have no open-source build: served from client/platform-stand-ins. */
const STAND_INS: Record<string, string> = {
  'lightning/navigation': 'platform-stand-ins/navigation.ts',
  'lightning/platformShowToastEvent': 'platform-stand-ins/platformShowToastEvent.ts'
};

/**
 * lightning-base-components' gate stubs are all open; this one makes lightning-combobox call attachInternals, which
 * synthetic shadow (which those components require) refuses, leaving the combobox blank. Closed in the preview.
 */
const CLOSED_GATES = new Set(['@salesforce/gate/bc.260.enableComboboxElementInternals']);

/** `@salesforce/...` scoped imports lightning-base-components ships stubs for (i18n, labels, gates), by name. */
function lbcScopedImports(): Map<string, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(LBC_DIR, 'package.json'), 'utf8')) as {
    lwc: { modules: { name?: string; path?: string }[] };
  };
  return new Map(
    manifest.lwc.modules.flatMap((module) =>
      module.name?.startsWith('@salesforce/') && module.path ? [[module.name, path.join(LBC_DIR, module.path)]] : []
    )
  );
}

const componentFile = (name: string) => path.join(BUNDLES.get(name) ?? '', `${name}.js`);
const isComponent = (name: string) => BUNDLES.has(name) && fs.existsSync(componentFile(name));

/** The generated module the page imports: synthetic shadow first, then a constructor per component found. */
function componentsModule(): string {
  const present = PAGE_COMPONENTS.filter(isComponent);
  const tag = (name: string) => `c-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  return [
    "import '@lwc/synthetic-shadow';",
    "import { createElement } from 'lwc';",
    ...present.map((name) => `import ${name} from 'c/${name}';`),
    `const constructors = { ${present.join(', ')} };`,
    `const tags = ${JSON.stringify(Object.fromEntries(present.map((name) => [name, tag(name)])))};`,
    `export const missing = ${JSON.stringify(PAGE_COMPONENTS.filter((name) => !isComponent(name)))};`,
    'export function create(name) {',
    '  return constructors[name] ? createElement(tags[name], { is: constructors[name] }) : undefined;',
    '}'
  ].join('\n');
}

/**
 * Resolves what only the Salesforce platform provides: `@salesforce/apex/Class.method` becomes a call to the preview
 * server (client/apex.ts), `@salesforce/schema` and `@salesforce/label` become stubs, other scoped imports come from
 * lightning-base-components' own stubs. Also compiles the preview's TypeScript client and sets NODE_ENV.
 */
function platformModules(): Plugin {
  const scoped = lbcScopedImports();
  const client = (file: string) => path.join(CLIENT_DIR, file);
  return {
    name: 'handoff-preview-platform',
    resolveId(source, importer) {
      if (source === 'preview:components') return '\0preview:components';
      if (STAND_INS[source]) return client(STAND_INS[source]);
      if (source === '@salesforce/apex') return client('apex.ts');
      if (CLOSED_GATES.has(source)) return '\0preview:closed-gate';
      if (scoped.has(source)) return scoped.get(source);
      if (/^@salesforce\/(apex|schema|label|i18n|client|user|userPermission|customPermission)\//.test(source)) {
        return `\0${source}`;
      }
      if (importer?.startsWith(CLIENT_DIR) && source.startsWith('.')) {
        return path.resolve(path.dirname(importer), source.replace(/(\.js)?$/, '.ts'));
      }
      return null;
    },
    load(id) {
      if (id === '\0preview:components') return componentsModule();
      if (id === '\0preview:closed-gate') return 'export default { isOpen: () => false };';
      if (!id.startsWith('\0@salesforce/')) return null;
      const [, kind, name] = /^\0@salesforce\/([^/]+)\/(.*)$/.exec(id)!;
      if (kind === 'apex') {
        return `import { apexMethod } from ${JSON.stringify(client('apex.ts'))};\nexport default apexMethod(${JSON.stringify(name)});`;
      }
      if (kind === 'schema') {
        const [objectApiName, ...fieldPath] = name!.split('.');
        const value = fieldPath.length ? { objectApiName, fieldApiName: fieldPath.join('.') } : { objectApiName };
        return `export default ${JSON.stringify(value)};`;
      }
      if (kind === 'userPermission' || kind === 'customPermission') return 'export default true;';
      return `export default ${JSON.stringify(name)};`;
    },
    transform(code, id) {
      // As the platform's bundler does: a production build, not server-side rendering.
      const replaced = code
        .replace(/process\.env\.NODE_ENV/g, '"production"')
        .replace(/import\.meta\.env\.SSR/g, 'false');
      if (!id.startsWith(CLIENT_DIR) || !id.endsWith('.ts')) return replaced === code ? null : replaced;
      const { outputText } = ts.transpileModule(replaced, {
        fileName: id,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: false }
      });
      return outputText;
    }
  };
}

export interface PreviewBundle {
  /** Every output file by name: preview.js, the page's module, and the chunks it imports on demand (icon sets). */
  files: Record<string, string>;
  /** Page components not found in force-app (the page says so instead of showing them). */
  missing: string[];
  buildMs: number;
  /** True when the files came from the build cache (nothing changed since the last build). */
  cached: boolean;
}

const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'handoff-preview');

/** Hash of everything the bundle depends on: the components, the preview client and build, the lock file. */
function inputsHash(): string {
  const hash = createHash('sha256');
  const add = (file: string) => hash.update(file).update(fs.readFileSync(file));
  for (const dir of [...BUNDLES.values(), CLIENT_DIR]) {
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
      const full = path.join(dir, file);
      if (!file.includes('__tests__') && fs.statSync(full).isFile()) add(full);
    }
  }
  [__filename, path.join(ROOT, 'package-lock.json')].forEach(add);
  return hash.digest('hex').slice(0, 16);
}

function readCache(file: string): Pick<PreviewBundle, 'files' | 'missing'> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Pick<PreviewBundle, 'files' | 'missing'>;
  } catch {
    return undefined; // not built yet (or replaced by a newer build meanwhile): build
  }
}

/**
 * Compiles the real components from force-app with the LWC compiler (lwc 8.28.2), lightning-base-components for the
 * `lightning-*` tags, and the preview client, into ES modules held in memory. lightning-base-components' icon sets
 * are 1,700 templates (most of a 15-second build), so the output is cached in node_modules/.cache by input hash.
 */
export async function buildPreview(): Promise<PreviewBundle> {
  const started = Date.now();
  const cacheFile = path.join(CACHE_DIR, `${inputsHash()}.json`);
  const cached = readCache(cacheFile);
  if (cached) return { ...cached, buildMs: Date.now() - started, cached: true };
  const components = [...BUNDLES.keys()]
    .filter(isComponent)
    .map((name) => ({ name: `c/${name}`, path: componentFile(name) }));
  let baseComponentWarnings = 0;
  const bundle = await rollup({
    input: path.join(CLIENT_DIR, 'main.ts'),
    plugins: [
      platformModules(),
      lwc({
        rootDir: CLIENT_DIR,
        exclude: [`${CLIENT_DIR}/**`],
        modules: [...components, { npm: 'lightning-base-components' }]
      })
    ],
    onwarn(warning) {
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      // lightning-base-components' own templates draw a few compiler warnings; ours are printed.
      if (warning.loc?.file?.includes(`${path.sep}lightning-base-components${path.sep}`)) baseComponentWarnings++;
      else console.warn(`preview build: ${warning.message}`);
    }
  });
  try {
    const { output } = await bundle.generate({ format: 'esm', entryFileNames: 'preview.js' });
    const result = {
      files: Object.fromEntries(output.flatMap((file) => (file.type === 'chunk' ? [[file.fileName, file.code]] : []))),
      missing: PAGE_COMPONENTS.filter((name) => !isComponent(name))
    };
    if (baseComponentWarnings) {
      console.warn(`preview build: ${baseComponentWarnings} compiler warnings in lightning-base-components' templates`);
    }
    // One cached build at a time, written whole (a concurrent reader never sees half a file).
    fs.rmSync(CACHE_DIR, { recursive: true, force: true });
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(result));
    fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    return { ...result, buildMs: Date.now() - started, cached: false };
  } finally {
    await bundle.close();
  }
}
