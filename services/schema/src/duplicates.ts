import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageDirectoriesOf } from './metadata';
import { childrenNamed, readXmlFile, textOf } from './xml';

/** One field comparison of a matching rule (MatchingRuleItem). */
export interface MatchingRuleItem {
  fieldName: string;
  /** Exact, CompanyName, FirstName, ... (the Metadata API's MatchingMethod). */
  matchingMethod: string;
  /** NullNotAllowed (a blank never matches) or MatchingOnNull. */
  blankValueBehavior: string;
}

/** A matching rule (matchingRules/<Object>.matchingRule-meta.xml holds an object's rules). */
export interface MatchingRuleDef {
  name: string;
  object: string;
  active: boolean;
  items: MatchingRuleItem[];
}

/** A duplicate rule (duplicateRules/<Object>.<Name>.duplicateRule-meta.xml). */
export interface DuplicateRuleDef {
  name: string;
  object: string;
  active: boolean;
  /** Allow or Block. */
  actionOnInsert: string;
  actionOnUpdate: string;
  /** Alert and/or Report. */
  operationsOnInsert: string[];
  operationsOnUpdate: string[];
  alertText?: string;
  sortOrder: number;
  matchingRules: MatchingRuleDef[];
}

/**
 * Reads the package's active duplicate rules with the matching rules they use. A duplicate rule naming a matching rule
 * the package does not define throws, naming both, as a deploy fails on it.
 */
export function readDuplicateRules(projectRoot: string): DuplicateRuleDef[] {
  const duplicateFiles: string[] = [];
  const matchingFiles: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.duplicateRule-meta.xml')) duplicateFiles.push(full);
      else if (entry.name.endsWith('.matchingRule-meta.xml')) matchingFiles.push(full);
    }
  };
  for (const dir of packageDirectoriesOf(projectRoot)) if (fs.existsSync(dir)) walk(dir);

  const matching = new Map<string, MatchingRuleDef>();
  for (const file of matchingFiles.sort()) {
    const object = path.basename(file).split('.')[0]!;
    for (const rule of childrenNamed(readXmlFile(file), 'matchingRules')) {
      const name = textOf(rule, 'fullName') ?? '';
      matching.set(`${object}.${name}`.toLowerCase(), {
        name,
        object,
        active: textOf(rule, 'ruleStatus') === 'Active',
        items: childrenNamed(rule, 'matchingRuleItems').map((item) => ({
          fieldName: textOf(item, 'fieldName') ?? '',
          matchingMethod: textOf(item, 'matchingMethod') ?? 'Exact',
          blankValueBehavior: textOf(item, 'blankValueBehavior') ?? 'NullNotAllowed'
        }))
      });
    }
  }

  return duplicateFiles.sort().map((file) => {
    const [object, name] = path.basename(file).split('.');
    const xml = readXmlFile(file);
    const matchingRules = childrenNamed(xml, 'duplicateRuleMatchRules').map((entry) => {
      const ruleObject = textOf(entry, 'matchRuleSObjectType') ?? object!;
      const ruleName = textOf(entry, 'matchingRule') ?? '';
      const rule = matching.get(`${ruleObject}.${ruleName}`.toLowerCase());
      if (!rule) {
        throw new Error(
          `duplicate rule ${object}.${name} uses matching rule ${ruleObject}.${ruleName}, which is not in the package`
        );
      }
      return rule;
    });
    return {
      name: name!,
      object: object!,
      active: textOf(xml, 'isActive') === 'true',
      actionOnInsert: textOf(xml, 'actionOnInsert') ?? 'Allow',
      actionOnUpdate: textOf(xml, 'actionOnUpdate') ?? 'Allow',
      operationsOnInsert: childrenNamed(xml, 'operationsOnInsert').map((element) => element.text),
      operationsOnUpdate: childrenNamed(xml, 'operationsOnUpdate').map((element) => element.text),
      alertText: textOf(xml, 'alertText'),
      sortOrder: Number(textOf(xml, 'sortOrder') ?? 1),
      matchingRules
    };
  });
}

/**
 * Legal forms a company name may carry or leave out, each as the words that mean the same ("Corp", "Corporation").
 * An approximation of the CompanyName matching method's normalisation (Salesforce Help, "Matching Algorithms Used
 * with Matching Methods"); its acronym and edit-distance algorithms are approximated by the distance rule below.
 */
const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sarl',
  'bv',
  'nv',
  'pty',
  'the'
]);

/** "The Acme Corp." and "ACME Corporation" → "acme": lower case, no punctuation, no legal form. */
export function normalizeCompanyName(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const kept = words.filter((word) => !LEGAL_FORMS.has(word));
  return (kept.length ? kept : words).join(' ');
}

/** Levenshtein distance, capped: stops early once it exceeds `cap`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_value, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > cap) return cap + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Whether two values match by a matching method. CompanyName: the same name once case, punctuation and legal forms
 * are set aside, or one typo apart in a name of eight or more letters. Other methods compare exactly, ignoring case
 * (matching compares case-insensitively).
 */
export function valuesMatch(method: string, a: string, b: string): boolean {
  if (method === 'CompanyName') {
    const left = normalizeCompanyName(a);
    const right = normalizeCompanyName(b);
    if (left === right) return true;
    return Math.min(left.length, right.length) >= 8 && distance(left, right, 1) <= 1;
  }
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
