import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { APEX_METHODS } from './adapters';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');

interface Questions {
  answered: number;
  total: number;
  completeness: number;
  won: boolean;
  canEdit: boolean;
  questions: { key: string; question: string; answer: string | null; answered: boolean }[];
  requirements: { stageName: string; requiredCount: number; met: boolean }[];
}

/** The twins of DealHandoffController and ClientHierarchyController against a local org with the package's metadata. */
describe('handoff twins', () => {
  let org: LocalOrg;
  let dataDir: string;
  const call = (method: string, params: Record<string, unknown>) => APEX_METHODS.get(method)!(org, params);
  const insert = (object: string, values: Record<string, unknown>) => {
    const [result] = org.store.write([{ kind: 'insert', object, values }]);
    if (!result?.success) throw new Error(JSON.stringify(result?.errors));
    return String(result.id);
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-twins-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });

  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('DealHandoffController: the deployed questions in checklist order, answers saved, changed and cleared', () => {
    const dealId = insert('Opportunity', { Name: 'Twin deal', StageName: 'Qualification', CloseDate: '2027-01-29' });
    const before = call('DealHandoffController.getQuestions', { opportunityId: dealId }) as Questions;
    expect(before.total).toBe(10);
    expect(before.answered).toBe(0);
    expect(before.questions.map((question) => question.key)).toContain('Key_Dates');
    const [first, second] = before.questions;

    call('DealHandoffController.saveAnswer', { opportunityId: dealId, questionKey: first!.key, answer: 'Yes' });
    call('DealHandoffController.saveAnswer', { opportunityId: dealId, questionKey: second!.key, answer: 'Dana' });
    call('DealHandoffController.saveAnswer', { opportunityId: dealId, questionKey: second!.key, answer: 'Dana Lee' });
    const after = call('DealHandoffController.getQuestions', { opportunityId: dealId }) as Questions;
    expect(after.answered).toBe(2);
    expect(after.completeness).toBe(20);
    expect(after.questions[1]).toMatchObject({ key: second!.key, answer: 'Dana Lee', answered: true });
    const [deal] = org.store.query(`SELECT Handoff_Answers__c FROM Opportunity WHERE Id = '${dealId}'`);
    expect(deal!.Handoff_Answers__c).toBe(2);

    call('DealHandoffController.saveAnswer', { opportunityId: dealId, questionKey: first!.key, answer: '  ' });
    expect((call('DealHandoffController.getQuestions', { opportunityId: dealId }) as Questions).answered).toBe(1);
  });

  it('DealHandoffController: refuses an unknown question and a won deal, as the Apex words it', () => {
    const dealId = insert('Opportunity', {
      Name: 'Twin won',
      StageName: 'Closed Won',
      CloseDate: '2027-01-29',
      Amount: 50_000,
      Delivery_Lead__c: org.store.userId(),
      Expected_Start__c: '2027-02-01'
    });
    expect(() =>
      call('DealHandoffController.saveAnswer', { opportunityId: dealId, questionKey: 'Budget', answer: 'x' })
    ).toThrow('"Budget" is not an active handoff question (Handoff_Checklist_Question__mdt).');
    expect(() =>
      call('DealHandoffController.saveAnswer', { opportunityId: dealId, questionKey: 'Key_Dates', answer: 'x' })
    ).toThrow("The deal is won: its answers went to the engagement's handoff checklist; answer there.");
    expect(call('DealHandoffController.getQuestions', { opportunityId: dealId })).toMatchObject({
      won: true,
      canEdit: false
    });
    expect(() => call('DealHandoffController.getQuestions', { opportunityId: 'not an id' })).toThrow(
      'Open this component on an Opportunity record page.'
    );
  });

  it('ClientHierarchyController: the client and its parents up to the top-level parent, six levels at most', () => {
    const group = insert('Account', { Name: 'Acme Group' });
    const region = insert('Account', { Name: 'Acme Retail Europe', ParentId: group });
    const client = insert('Account', { Name: 'Acme Retail UK', ParentId: region });
    const engagementId = insert('Engagement__c', {
      Name: 'Acme rollout',
      Opportunity_Key__c: 'twin-hierarchy',
      Status__c: 'Active',
      Account__c: client
    });
    expect(call('ClientHierarchyController.getHierarchy', { engagementId })).toEqual({
      levels: [
        { id: client, name: 'Acme Retail UK' },
        { id: region, name: 'Acme Retail Europe' },
        { id: group, name: 'Acme Group' }
      ],
      isTop: true,
      continuesAbove: false,
      hidden: false
    });

    let parent: string | undefined;
    for (let level = 8; level >= 1; level--) {
      parent = insert('Account', { Name: `Level ${level}`, ...(parent ? { ParentId: parent } : {}) });
    }
    const deep = insert('Engagement__c', {
      Name: 'Deep',
      Opportunity_Key__c: 'twin-deep',
      Status__c: 'Active',
      Account__c: parent
    });
    const hierarchy = call('ClientHierarchyController.getHierarchy', { engagementId: deep }) as {
      levels: { name: string }[];
      isTop: boolean;
      continuesAbove: boolean;
    };
    expect(hierarchy.levels.map((level) => level.name)).toEqual([
      'Level 1',
      'Level 2',
      'Level 3',
      'Level 4',
      'Level 5',
      'Level 6'
    ]);
    expect(hierarchy).toMatchObject({ isTop: false, continuesAbove: true });
    expect(() => call('ClientHierarchyController.getHierarchy', { engagementId: client })).toThrow(
      'Open this component on an Engagement record page.'
    );
  });
});
