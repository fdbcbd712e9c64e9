import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { automationOf, createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { addDays } from './dates';
import { generateFirm } from './demo-firm';
import { generateHistory } from './history';
import { Prng } from './prng';
import { seedDealHistory } from './seed-local-org';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const TODAY = '2026-11-23';
const CLIENTS = [{ ref: '@AccountRef1' as const, name: 'Acme', isParent: false }];
const OPEN = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review'];

describe('demo firm deal history', () => {
  const { history } = generateFirm({ size: 'small' });

  it('is deterministic and spans the two years before today', () => {
    expect(generateFirm({ size: 'small' }).history).toEqual(history);
    expect(history).toHaveLength(240);
    for (const deal of history) {
      const days = deal.events.map((event) => event.day);
      expect(days[0]! >= addDays(TODAY, -730)).toBe(true);
      expect(days[days.length - 1]! < TODAY).toBe(true);
      // One save a day at most, in order: the seed replays them day by day.
      expect([...days].sort()).toEqual(days);
      expect(new Set(days).size).toBe(days.length);
      const stages = deal.events.map((event) => event.StageName);
      expect(stages.slice(0, -1).every((stage) => OPEN.includes(stage))).toBe(true);
      expect(['Closed Won', 'Closed Lost']).toContain(stages[stages.length - 1]);
    }
  });

  it('has reps more optimistic than the outcomes, and close dates that slip', () => {
    const at = (stage: string) => history.filter((deal) => deal.events.some((event) => event.StageName === stage));
    const winRate = (deals: typeof history) =>
      deals.filter((deal) => deal.events[deal.events.length - 1]!.StageName === 'Closed Won').length / deals.length;
    // Typed 85-95% in Negotiation and 70-80% at Proposal; the model wins about 58% and 40%.
    expect(winRate(at('Negotiation/Review'))).toBeLessThan(0.75);
    expect(winRate(at('Proposal/Price Quote'))).toBeLessThan(0.55);
    const won = history.filter((deal) => deal.events[deal.events.length - 1]!.StageName === 'Closed Won');
    const late = won.filter((deal) => deal.events[deal.events.length - 1]!.day > deal.events[0]!.CloseDate);
    expect(late.length / won.length).toBeGreaterThan(0.5);
  });
});

describe('seedDealHistory into the local org', () => {
  let org: LocalOrg;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-history-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('replays each save at its past date with the automation off, so OpportunityHistory has past rows', () => {
    const [account] = org.store.seed('Account', [{ Name: 'Acme' }]);
    const history = generateHistory(new Prng(7), CLIENTS, 12, TODAY);
    expect(seedDealHistory(org.store, history, () => account!)).toBe(12);

    const rows = org.store.query(
      'SELECT Opportunity.Name, StageName, Probability, CloseDate, CreatedDate FROM OpportunityHistory ORDER BY CreatedDate'
    );
    expect(rows).toHaveLength(history.reduce((sum, deal) => sum + deal.events.length, 0));
    const deal = history[0]!;
    const ofDeal = rows.filter((row) => (row.Opportunity as { Name: string }).Name === deal.Name);
    expect(
      ofDeal.map((row) => [String(row.CreatedDate).slice(0, 10), row.StageName, row.Probability, row.CloseDate])
    ).toEqual(deal.events.map((event) => [event.day, event.StageName, event.Probability, event.CloseDate]));
    // Handed off long ago: no engagement for the won ones, and the automation is on again afterwards.
    expect(org.store.query('SELECT Id FROM Engagement__c')).toHaveLength(0);
    expect(automationOf(org.store)!.bypassed).toBe(false);
    expect(org.store.query('SELECT Id FROM Opportunity WHERE IsClosed = true')).toHaveLength(12);
  });
});
