import type { DemoFirm } from './demo-firm';
import { SOBJECTS, type FirmRecord, type SObjectName } from './types';

/**
 * The demo firm as an `sf data import tree` plan: plan.json plus one file per object in sObject Tree format
 * ({"records": [{"attributes": {"type", "referenceId"}, ...fields}]}), in dependency order. Accounts take two files,
 * parents before subsidiaries, so every ParentId names an account saved by an earlier request.
 *
 * Engagements, phases and demand are not in the plan: the package's triggers create them from the opportunities.
 */

export interface PlanStep {
  readonly sobject: SObjectName;
  /**
   * Keep the new Ids under their reference ids for later files. The sf CLI this project installs (plugin-data 5)
   * resolves every @reference by itself and ignores saveRefs and resolveRefs with a warning; older ones need them.
   */
  readonly saveRefs: boolean;
  /** Replace @references with the saved Ids before inserting. */
  readonly resolveRefs: boolean;
  readonly files: readonly string[];
}

export interface PlanFile {
  /** File name inside the sample directory. */
  readonly name: string;
  readonly content: string;
}

/** Objects whose records later files refer to. */
const REFERENCED = new Set<SObjectName>(['Account', 'Product2', 'PricebookEntry', 'Opportunity', 'Resource__c']);

export function samplePlanFiles(firm: DemoFirm): PlanFile[] {
  const files: PlanFile[] = [];
  const plan: PlanStep[] = [];
  for (const sobject of SOBJECTS) {
    const records: readonly FirmRecord[] = firm.records[sobject];
    const parts: [string, readonly FirmRecord[]][] =
      sobject === 'Account'
        ? [
            ['Account-parents.json', records.filter((record) => !('ParentId' in record))],
            ['Account-children.json', records.filter((record) => 'ParentId' in record)]
          ]
        : [[`${sobject}.json`, records]];
    for (const [name, part] of parts)
      files.push({ name, content: toJson({ records: part.map((r) => tree(sobject, r)) }) });
    plan.push({
      sobject,
      saveRefs: REFERENCED.has(sobject),
      resolveRefs: records.some((record) => Object.values(record).some(isReference)),
      files: parts.map(([name]) => name)
    });
  }
  return [{ name: 'plan.json', content: toJson(plan) }, ...files];
}

function isReference(value: unknown): boolean {
  return typeof value === 'string' && /^@\w+Ref\d+$/.test(value);
}

function tree(sobject: SObjectName, record: FirmRecord): Record<string, unknown> {
  const { referenceId, ...fields } = record;
  return { attributes: { type: sobject, referenceId }, ...fields };
}

const PRINT_WIDTH = 120;

/**
 * JSON as Prettier prints it (printWidth 120): objects always expanded, an array of plain values on one line when
 * it fits. JSON.stringify(value, null, 2) alone would expand those arrays, and the prettier gate would object.
 */
export function toJson(value: unknown): string {
  return `${print(value, '', '')}\n`;
}

function print(value: unknown, indent: string, prefix: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = indent + '  ';
    if (value.every((item) => item === null || typeof item !== 'object')) {
      const line = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
      if (indent.length + prefix.length + line.length + 1 <= PRINT_WIDTH) return line;
    }
    return `[\n${value.map((item) => inner + print(item, inner, '')).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    const lines = entries.map(([key, item]) => {
      const keyText = `${JSON.stringify(key)}: `;
      return inner + keyText + print(item, inner, keyText);
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
