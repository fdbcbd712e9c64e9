import { accuracyRows, DEFAULT_ACCURACY_SETTINGS, parseSnapshots } from '@handoff/capacity';
import { ROLES } from './catalog';
import { addWeeks, mondayOf } from './dates';
import { generateFirm } from './demo-firm';
import type { HistoricalDeal } from './history';
import { dealDemand, historySnapshots } from './snapshots';

const TODAY = '2026-11-23';

describe('forecast snapshots rebuilt from the deal history', () => {
  const { history } = generateFirm({ size: 'small', today: TODAY });
  const snapshots = historySnapshots(history, TODAY);

  it('are one per role for each of the 52 Mondays before this week, deterministic', () => {
    expect(snapshots).toHaveLength(52 * ROLES.length);
    expect(historySnapshots(generateFirm({ size: 'small', today: TODAY }).history, TODAY)).toEqual(snapshots);
    expect(snapshots[0]!.As_Of__c).toBe(addWeeks(mondayOf(TODAY), -52));
    expect(snapshots[snapshots.length - 1]!.As_Of__c).toBe(addWeeks(mondayOf(TODAY), -1));
    expect(new Set(snapshots.map((row) => row.Snapshot_Key__c)).size).toBe(snapshots.length);
  });

  it('count a deal as pipeline at its typed probability before it is won, and as confirmed after', () => {
    const deal: HistoricalDeal = {
      Name: 'Acme - Migration 2026-01',
      AccountId: '@AccountRef1',
      Amount: 19_000, // two Data Migration units: 80 h over 4 weeks, 20 h a week
      events: [
        { day: '2026-08-03', StageName: 'Proposal/Price Quote', Probability: 75, CloseDate: '2026-08-17' },
        { day: '2026-08-26', StageName: 'Closed Won', Probability: 100, CloseDate: '2026-08-26' }
      ]
    };
    expect(dealDemand(deal)).toEqual([{ role: 'Data Engineer', hoursPerWeek: 20, weeks: 4 }]);
    const rows = historySnapshots([deal], TODAY, { weeks: 17 });
    const weeks = (monday: string) =>
      JSON.parse(rows.find((row) => row.As_Of__c === monday && row.Role__c === 'Data Engineer')!.Weeks__c) as {
        c: number[];
        w: number[];
      };
    // On 10 August: pipeline, expected to close on 17 August, so 75% of 20 h from 31 August (week 3).
    expect(weeks('2026-08-10').c.slice(0, 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(weeks('2026-08-10').w.slice(0, 8)).toEqual([0, 0, 0, 15, 15, 15, 15, 0]);
    // On 31 August: won on 26 August, so confirmed from 7 September (week 1).
    expect(weeks('2026-08-31').c.slice(0, 6)).toEqual([0, 20, 20, 20, 20, 0]);
    expect(weeks('2026-08-31').w.slice(0, 6)).toEqual([0, 20, 20, 20, 20, 0]);
    // Before it existed: nothing.
    expect(weeks('2026-07-27').w.every((value) => value === 0)).toBe(true);
  });

  it('give the accuracy page content: the weighted forecast of the optimistic reps runs high', () => {
    const rows = accuracyRows(parseSnapshots(snapshots as never), TODAY, DEFAULT_ACCURACY_SETTINGS, null);
    const all = (lead: number) => rows.find((row) => row.key === `All:${lead}`)!.fields;
    expect(all(1).Weeks_Compared__c).toBe(26 * ROLES.length);
    expect(all(12).Weeks_Compared__c).toBe(26 * ROLES.length);
    // Reps type 75-90% on deals that win about half the time: a week ahead, the weighted forecast is too high.
    expect(Number(all(1).Weighted_Bias_Hours__c)).toBeGreaterThan(0);
    // Confirmed demand only grows as deals are won: the confirmed forecast runs low, more so further ahead.
    expect(Number(all(4).Confirmed_Bias_Hours__c)).toBeLessThan(0);
    expect(Number(all(8).Confirmed_Bias_Hours__c)).toBeLessThan(Number(all(1).Confirmed_Bias_Hours__c));
    expect(Number(all(8).Weighted_MAE_Hours__c)).toBeGreaterThan(0);
  });
});
