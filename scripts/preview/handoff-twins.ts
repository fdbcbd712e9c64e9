import { compileRules, orderedQuestions, readRuleRecords, RuleError, type LocalOrg } from '@handoff/local-org';
import type { HandoffRules } from '@handoff/local-org';
import { AuraHandledError, soqlString, type ApexMethod } from './adapters';

/**
 * PREVIEW ADAPTERS of DealHandoffController (the handoff questions a rep answers on the deal before it closes) and
 * ClientHierarchyController (the client's parents up to the top-level parent), in force-app/main/handoff/classes.
 * Same shapes, wording and rules as the Apex; user mode is left out (the local org has one admin user).
 */

const OPPORTUNITY_ID = /^006[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;

function opportunityId(value: unknown, message: string): string {
  if (typeof value !== 'string' || !OPPORTUNITY_ID.test(value)) throw new AuraHandledError(message);
  return value;
}

function loadRules(org: LocalOrg): HandoffRules {
  try {
    return compileRules(org.store.schema, readRuleRecords(org.store));
  } catch (error) {
    if (error instanceof RuleError) throw new AuraHandledError(`The handoff rules cannot be read: ${error.message}`);
    throw error;
  }
}

export const getQuestions: ApexMethod = (org, params) => {
  const dealId = opportunityId(params.opportunityId, 'Open this component on an Opportunity record page.');
  const deal = org.store.query(
    `SELECT Id, Name, StageName, IsWon FROM Opportunity WHERE Id = ${soqlString(dealId)} LIMIT 1`
  )[0];
  if (!deal) return null;
  const rules = loadRules(org);
  const answers = new Map(
    org.store
      .query(
        `SELECT Question_Key__c, Answer__c FROM Deal_Handoff_Answer__c WHERE Opportunity__c = ${soqlString(dealId)} LIMIT 200`
      )
      .map((row) => [String(row.Question_Key__c), typeof row.Answer__c === 'string' ? row.Answer__c : null])
  );
  const won = deal.IsWon === true;
  const questions = orderedQuestions(rules).map((question) => ({
    key: question.developerName,
    question: question.question,
    answer: answers.get(question.developerName) ?? null,
    answered: answers.has(question.developerName)
  }));
  const answered = questions.filter((question) => question.answered).length;
  const total = questions.length;
  return {
    opportunityId: deal.Id,
    opportunityName: deal.Name,
    stageName: deal.StageName,
    won,
    canEdit: !won,
    answered,
    total,
    completeness: total === 0 ? 0 : Math.round((answered * 100) / total),
    questions,
    requirements: [...rules.stageRules.values()]
      .filter((rule) => rule.requiredAnswers > 0)
      .sort((a, b) => (a.stageName < b.stageName ? -1 : a.stageName > b.stageName ? 1 : 0))
      .map((rule) => {
        const requiredCount = Math.ceil(Number(((rule.requiredAnswers * total) / 100).toFixed(9)));
        return { stageName: rule.stageName, requiredCount, met: answered >= requiredCount };
      })
  };
};

export const saveAnswer: ApexMethod = (org, params) => {
  const dealId = opportunityId(params.opportunityId, 'Choose the deal to answer the handoff question on.');
  const key = params.questionKey;
  const question = loadRules(org).questions.find((candidate) => candidate.developerName === key);
  if (!question) {
    throw new AuraHandledError(
      `"${String(key ?? null)}" is not an active handoff question (Handoff_Checklist_Question__mdt).`
    );
  }
  const deal = org.store.query(`SELECT Id, IsWon FROM Opportunity WHERE Id = ${soqlString(dealId)} LIMIT 1`)[0];
  if (!deal) throw new AuraHandledError(`The deal ${dealId} was not found, or you cannot see it.`);
  if (deal.IsWon === true) {
    throw new AuraHandledError(
      "The deal is won: its answers went to the engagement's handoff checklist; answer there."
    );
  }
  const answerKey = `${dealId}:${question.developerName}`;
  const existing = org.store.query(
    `SELECT Id FROM Deal_Handoff_Answer__c WHERE Answer_Key__c = ${soqlString(answerKey)} LIMIT 1`
  )[0];
  const answer = typeof params.answer === 'string' ? params.answer : '';
  const [result] =
    answer.trim() === ''
      ? existing
        ? org.store.write([{ kind: 'delete', object: 'Deal_Handoff_Answer__c', id: String(existing.Id) }])
        : [{ success: true, errors: [] }]
      : org.store.write([
          existing
            ? {
                kind: 'update',
                object: 'Deal_Handoff_Answer__c',
                id: String(existing.Id),
                values: { Answer__c: answer }
              }
            : {
                kind: 'insert',
                object: 'Deal_Handoff_Answer__c',
                values: {
                  Opportunity__c: dealId,
                  Answer_Key__c: answerKey,
                  Question_Key__c: question.developerName,
                  Name: question.question.slice(0, 80),
                  Answer__c: answer
                }
              }
        ]);
  if (!result?.success) {
    throw new AuraHandledError(`The answer was not saved: ${result?.errors[0]?.message ?? 'unknown error'}`);
  }
  return null;
};

const ENGAGEMENT_ID = /^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$/;
/** The client and five parents: as deep as one SOQL query can follow ParentId. */
const LEVELS = 6;

export const getHierarchy: ApexMethod = (org, params) => {
  const engagementId = params.engagementId;
  const engagementPrefix = org.store.schema.object('Engagement__c')?.keyPrefix;
  if (
    typeof engagementId !== 'string' ||
    !ENGAGEMENT_ID.test(engagementId) ||
    !engagementId.startsWith(engagementPrefix ?? '?')
  ) {
    throw new AuraHandledError('Open this component on an Engagement record page.');
  }
  const engagement = org.store.query(
    `SELECT Id, Account__c FROM Engagement__c WHERE Id = ${soqlString(engagementId)} LIMIT 1`
  )[0];
  if (!engagement) return null;
  const result = { levels: [] as { id: string; name: string }[], isTop: false, continuesAbove: false, hidden: false };
  if (typeof engagement.Account__c !== 'string') return result;
  const path = (depth: number) => 'Parent.'.repeat(depth);
  const fields = ['Id', 'Name', 'ParentId'];
  for (let depth = 1; depth < LEVELS; depth++) fields.push(`${path(depth)}Name`, `${path(depth)}ParentId`);
  let level: Record<string, unknown> | null | undefined = org.store.query(
    `SELECT ${fields.join(', ')} FROM Account WHERE Id = ${soqlString(engagement.Account__c)} LIMIT 1`
  )[0];
  if (!level) return { ...result, hidden: true };
  let id = String(level.Id);
  while (level) {
    result.levels.push({ id, name: String(level.Name) });
    const parentId = level.ParentId;
    if (typeof parentId !== 'string') break;
    if (result.levels.length === LEVELS) {
      result.continuesAbove = true;
      break;
    }
    id = parentId;
    level = level.Parent as Record<string, unknown> | null | undefined;
    result.hidden = !level;
  }
  result.isTop = !result.continuesAbove && !result.hidden;
  return result;
};
