import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFirm } from './demo-firm';
import { samplePlanFiles } from './sample-plan';

/**
 * npm run data:sample: writes the small demo firm as an `sf data import tree` plan into scripts/data/sample
 * (plan.json and one JSON file per object), replacing the JSON files there. Commit the result;
 * scripts/data/demo-firm.test.ts fails when it is out of date.
 *
 * Options: --today YYYY-MM-DD (anchor the dates elsewhere; default the fixed DEFAULT_TODAY), --seed N,
 * --out DIR (write elsewhere, e.g. a fresh plan for today's date into a temporary directory).
 */
export const SAMPLE_DIR = path.join(__dirname, 'sample');

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = process.argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

function main(): void {
  const seedText = option('seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer: ${seedText}`);
  const firm = generateFirm({ size: 'small', seed, today: option('today') });
  const out = path.resolve(option('out') ?? SAMPLE_DIR);
  const files = samplePlanFiles(firm);

  fs.mkdirSync(out, { recursive: true });
  const keep = new Set(files.map((file) => file.name));
  for (const name of fs.readdirSync(out)) {
    if (name.endsWith('.json') && !keep.has(name)) fs.rmSync(path.join(out, name));
  }
  for (const file of files) fs.writeFileSync(path.join(out, file.name), file.content);

  const counts = Object.entries(firm.records).map(([sobject, records]) => `${sobject} ${records.length}`);
  const where = path.relative(process.cwd(), out) || '.';
  console.log(`Wrote ${files.length} files to ${where} (today ${firm.today}, seed ${firm.seed})`);
  console.log(`  ${counts.join(', ')}; ${firm.assignments.length} assignments to book after the import`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
