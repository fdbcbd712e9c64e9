import { valuesMatch, type DuplicateRuleDef, type MatchingRuleDef } from '@handoff/schema';
import { RecordError } from '../errors';
import type { Store } from './store';

/** The platform's message when a rule has no alert text. */
const DEFAULT_ALERT = "You're creating a duplicate record. We recommend you use an existing record instead.";

const soqlList = (values: string[]) => values.map((value) => `'${value.replace(/'/g, "\\'")}'`).join(', ');

/**
 * Runs the package's active duplicate rules on API writes, as the org does after validation rules and before the
 * save (Apex Developer Guide, "Triggers and Order of Execution"). A rule whose action is Block refuses the record; a
 * rule that allows with an Alert refuses it unless the write carries DuplicateRuleHeader allowSave (REST API
 * Developer Guide, "Duplicate Rule Header"); Report-only rules never refuse. The error is DUPLICATES_DETECTED with the
 * rule's alert text. Records are compared with the records already saved, not with others of the same batch.
 * Platform writes (seeding, automation) are not checked. Returns a function that removes the rules.
 */
export function installDuplicateRules(store: Store, rules: DuplicateRuleDef[]): () => void {
  const byObject = new Map<string, DuplicateRuleDef[]>();
  for (const rule of rules.filter((candidate) => candidate.active && candidate.matchingRules.some((m) => m.active))) {
    byObject.set(rule.object, [...(byObject.get(rule.object) ?? []), rule]);
  }
  const unregisters = [...byObject].map(([object, objectRules]) =>
    store.hooks.register(object, {
      beforeCommit(event, hookStore) {
        if (event.system || (event.operation !== 'insert' && event.operation !== 'update')) return;
        const refusing = objectRules
          .sort((a, b) => a.sortOrder - b.sortOrder)
          .filter((rule) => {
            const inserting = event.operation === 'insert';
            const action = inserting ? rule.actionOnInsert : rule.actionOnUpdate;
            const alerts = (inserting ? rule.operationsOnInsert : rule.operationsOnUpdate).includes('Alert');
            return action === 'Block' || (alerts && !event.allowSave);
          });
        if (refusing.length === 0) return;
        const fields = [...new Set(refusing.flatMap((rule) => rule.matchingRules.flatMap(fieldsOf)))];
        const batch = event.records.map((record) => record.id);
        const saved = (hookStore as Store).query(
          `SELECT Id, ${fields.join(', ')} FROM ${object} WHERE Id NOT IN (${soqlList(batch)})`
        );
        for (const record of event.records) {
          const values = record.new ?? {};
          const rule = refusing.find((candidate) =>
            candidate.matchingRules.some(
              (matching) => matching.active && saved.some((other) => matches(matching, values, other))
            )
          );
          if (rule) event.addError(record.id, new RecordError('DUPLICATES_DETECTED', rule.alertText ?? DEFAULT_ALERT));
        }
      }
    })
  );
  return () => unregisters.forEach((unregister) => unregister());
}

const fieldsOf = (rule: MatchingRuleDef) => rule.items.map((item) => item.fieldName);

/** Every item of the matching rule matches (the rule's items are ANDed); a blank value never matches. */
function matches(rule: MatchingRuleDef, values: Record<string, unknown>, other: Record<string, unknown>): boolean {
  return rule.items.every((item) => {
    const mine = values[item.fieldName];
    const theirs = other[item.fieldName];
    if (typeof mine !== 'string' || typeof theirs !== 'string' || !mine.trim() || !theirs.trim()) {
      return item.blankValueBehavior === 'MatchingOnNull' && !mine && !theirs;
    }
    return valuesMatch(item.matchingMethod, mine, theirs);
  });
}
