import type { Store } from '../store/store';
import type { ChecklistQuestion, HandoffRules } from './rules';

/** A deal being saved: its new values and, on update, the old ones. */
export interface GatedDeal {
  id: string;
  stageName: unknown;
  oldStageName?: unknown;
}

const inList = (values: string[]) => values.map((value) => `'${value.replace(/'/g, "\\'")}'`).join(', ');

/**
 * HandoffAnswerGate.check: a deal entering a stage whose rule requires handoff answers
 * (Handoff_Stage_Rule__mdt.Required_Handoff_Answers__c) is refused until enough of the active questions are answered
 * on it (Deal_Handoff_Answer__c). Returns the error for each refused deal, by Opportunity Id, worded as the Apex words it.
 */
export function checkHandoffAnswers(store: Store, rules: HandoffRules, deals: GatedDeal[]): Map<string, string> {
  const refused = new Map<string, string>();
  const gated = new Map<string, { stageName: string; requiredAnswers: number }>();
  for (const deal of deals) {
    const stage = typeof deal.stageName === 'string' ? deal.stageName : undefined;
    const rule = stage === undefined ? undefined : rules.stageRules.get(stage);
    const entering = deal.oldStageName == null || deal.oldStageName !== deal.stageName;
    if (rule && rule.requiredAnswers > 0 && entering && rules.questions.length > 0) gated.set(deal.id, rule);
  }
  if (gated.size === 0 || !store.schema.object('Deal_Handoff_Answer__c')) return refused;
  const answered = new Map<string, Set<string>>();
  for (const row of store.query(
    `SELECT Opportunity__c, Question_Key__c FROM Deal_Handoff_Answer__c WHERE Opportunity__c IN (${inList([...gated.keys()])})`
  )) {
    const dealId = String(row.Opportunity__c);
    answered.set(dealId, (answered.get(dealId) ?? new Set()).add(String(row.Question_Key__c)));
  }
  const questions = [...rules.questions].sort(
    (a, b) =>
      a.sortOrder - b.sortOrder || (a.developerName < b.developerName ? -1 : a.developerName > b.developerName ? 1 : 0)
  );
  for (const [dealId, rule] of gated) {
    const given = answered.get(dealId) ?? new Set<string>();
    const missing = questions.filter((question) => !given.has(question.developerName)).map((q) => q.question);
    const total = questions.length;
    // Decimal arithmetic in Apex: round away float noise before the ceiling (33.33% of 3 questions needs 1).
    const needed = Math.ceil(Number(((rule.requiredAnswers * total) / 100).toFixed(9)));
    const count = total - missing.length;
    if (count < needed) {
      refused.set(
        dealId,
        `Answer the handoff questions before ${rule.stageName}: ${needed} of ${total} required, ${count} answered.` +
          ` Missing: ${missing.join('; ')}`
      );
    }
  }
  return refused;
}

/** The active questions in checklist order (Sort_Order__c, then DeveloperName), as HandoffAnswerGate.ordered. */
export function orderedQuestions(rules: HandoffRules): ChecklistQuestion[] {
  return [...rules.questions].sort(
    (a, b) =>
      a.sortOrder - b.sortOrder || (a.developerName < b.developerName ? -1 : a.developerName > b.developerName ? 1 : 0)
  );
}
