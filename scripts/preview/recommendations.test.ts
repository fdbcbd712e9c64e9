import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, runForecast, SalesforceClient } from '@handoff/capacity';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { APEX_METHODS, currentRun } from './adapters';
import { prepareDemoOrg } from './demo-org';
import { addDays, mondayOf, workingDays } from './weeks';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..');
const TODAY = new Date().toISOString().slice(0, 10);

interface Candidate {
  resourceId: string;
  resourceName: string;
  bookedAs: string | null;
  weeks: { week: string; need: number; free: number }[];
}
interface Line {
  demandId: string;
  name: string;
  hoursPerWeek: number;
  candidates: Candidate[];
}
interface Recommendations {
  canBook: boolean;
  forecastComputed: boolean;
  engagementStatus: string | null;
  demands: Line[];
}
interface Booking {
  assignmentId: string;
  created: boolean;
  bookingType: string;
  hoursPerWeek: number;
}

/**
 * Book → next forecast, in the local org, through the twins of StaffingRecommendationController and the capacity
 * service's real runner. What the forecast must show follows the engine's definition of soft bookings
 * (services/capacity/src/engine/demand.ts): a soft booking on a won engagement's demand line is held by that line
 * (Confirmed and Tentative unchanged: the line's hours are confirmed already), one on a pipeline line adds its hours
 * per week to Tentative for the booked person's role; Confirmed never moves for a soft booking.
 */
describe('StaffingRecommendationController twin: a booking reaches the next forecast', () => {
  let org: LocalOrg;
  let dataDir: string;
  const call = <T>(method: string, params: Record<string, unknown>) =>
    APEX_METHODS.get(`StaffingRecommendationController.${method}`)!(org, params) as T;
  const forecast = async () => {
    const client = new SalesforceClient(
      await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken })
    );
    const outcome = await runForecast(client, { trigger: 'Manual', asOf: TODAY });
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('Completed');
  };
  /** Role rows of the current slot, by week: confirmed and tentative hours. */
  const roleRows = (role: string) => {
    const slot = String(currentRun(org)!.Slot__c);
    const rows = org.store.query(
      `SELECT Week_Start__c, Confirmed_Hours__c, Tentative_Hours__c FROM Capacity_Forecast__c WHERE Slot__c = '${slot}' ` +
        `AND Dimension__c = 'Role' AND Name__c = '${role}' ORDER BY Week_Start__c`
    );
    return new Map(
      rows.map((row) => [
        String(row.Week_Start__c),
        { confirmed: Number(row.Confirmed_Hours__c), tentative: Number(row.Tentative_Hours__c) }
      ])
    );
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-recommendations-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    await prepareDemoOrg(org, TODAY);
  });

  afterAll(async () => {
    await org?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('books the top candidate softly, once, and the next forecast counts it as the engine defines soft bookings', async () => {
    // Given the top candidate of a won engagement's open line, and an open pipeline line starting soon
    const slot = String(currentRun(org)!.Slot__c);
    const [top] = org.store.query(
      `SELECT Demand__c, Resource__c, Resource__r.Primary_Role__c, Engagement__c FROM Staffing_Recommendation__c ` +
        `WHERE Slot__c = '${slot}' AND Rank__c = 1 AND Engagement__r.Status__c = 'Active' ORDER BY Recommendation_Key__c LIMIT 1`
    );
    expect(top).toBeDefined();
    const before = call<Recommendations>('getRecommendations', { recordId: top!.Engagement__c });
    expect(before.forecastComputed).toBe(true);
    expect(before.engagementStatus).toBe('Active');
    const line = before.demands.find((demand) => demand.demandId === top!.Demand__c)!;
    const candidate = line.candidates[0]!;
    expect(candidate.resourceId).toBe(top!.Resource__c);
    expect(candidate.bookedAs).toBeNull();
    expect(candidate.weeks.length).toBeGreaterThan(0);
    for (const week of candidate.weeks) expect(week.free).toBeLessThanOrEqual(week.need);
    const role = String((top!.Resource__r as Record<string, unknown>).Primary_Role__c);
    const horizonEnd = addDays(mondayOf(TODAY), 26 * 7 - 1);
    const [pipeline] = org.store.query(
      `SELECT Id, Name, Start_Date__c, End_Date__c FROM Resource_Demand__c WHERE Status__c = 'Open' ` +
        `AND Engagement__r.Status__c = 'Pipeline' AND Start_Date__c >= ${TODAY} AND End_Date__c <= ${horizonEnd} ` +
        `AND Total_Hours__c > 0 ORDER BY Start_Date__c, Name LIMIT 1`
    );
    expect(pipeline).toBeDefined();
    const rowsBefore = roleRows(role);
    const assignmentsBefore = org.store.query('SELECT Id FROM Assignment__c').length;

    // When the delivery manager books them (twice: a double click), and books them on the pipeline line too
    const booking = call<Booking>('book', { demandId: line.demandId, resourceId: candidate.resourceId });
    const again = call<Booking>('book', { demandId: line.demandId, resourceId: candidate.resourceId });
    const pipelineBooking = call<Booking>('book', { demandId: pipeline!.Id, resourceId: candidate.resourceId });
    await forecast();

    // Then one soft booking per line, for the line's dates and hours
    expect(booking).toMatchObject({ created: true, bookingType: 'Soft', hoursPerWeek: line.hoursPerWeek });
    expect(again).toMatchObject({ created: false, assignmentId: booking.assignmentId });
    expect(pipelineBooking.created).toBe(true);
    expect(org.store.query('SELECT Id FROM Assignment__c')).toHaveLength(assignmentsBefore + 2);
    expect(currentRun(org)!.Slot__c).not.toBe(slot); // a new run published the other slot

    // The confirmed line holds its soft booking: Confirmed never moves; Tentative moves only by the pipeline
    // booking's hours per week, in the pipeline line's weeks (a firm-wide holiday takes a day of them).
    const rowsAfter = roleRows(role);
    const pipelineStart = String(pipeline!.Start_Date__c);
    const pipelineEnd = String(pipeline!.End_Date__c);
    let weeksMoved = 0;
    for (const [week, was] of rowsBefore) {
      const now = rowsAfter.get(week)!;
      expect({ week, confirmed: now.confirmed }).toEqual({ week, confirmed: was.confirmed });
      const days = workingDays(
        pipelineStart > week ? pipelineStart : week,
        pipelineEnd < addDays(week, 6) ? pipelineEnd : addDays(week, 6)
      );
      const added = now.tentative - was.tentative;
      const most = (pipelineBooking.hoursPerWeek * days) / 5;
      const least = (pipelineBooking.hoursPerWeek * Math.max(0, days - 2)) / 5;
      expect({ week, added: added <= most + 0.02 && added >= least - 0.02 }).toEqual({ week, added: true });
      if (added > 0.01) weeksMoved++;
    }
    expect(weeksMoved).toBeGreaterThan(0);

    // And the page shows the booked candidate as booked (or no longer ranked, when the booking took their time)
    const after = call<Recommendations>('getRecommendations', { recordId: line.demandId });
    expect(after.demands).toHaveLength(1);
    const shown = after.demands[0]!.candidates.find((next) => next.resourceId === candidate.resourceId);
    if (shown) expect(shown.bookedAs).toBe('Soft');
  });

  it("books one person's full week on a line that needs more, and refuses an Id that is not one", () => {
    const [line] = org.store.query(
      "SELECT Id, Name, Start_Date__c FROM Resource_Demand__c WHERE Status__c = 'Open' ORDER BY Name LIMIT 1"
    );
    const [person] = org.store.query('SELECT Id FROM Resource__c ORDER BY Name LIMIT 1');
    // 500 hours in one week: one booking of 500 hours a week would be refused (Handoff_Assignment_Hours_Range: 80).
    const monday = mondayOf(String(line!.Start_Date__c));
    const [saved] = org.store.write([
      {
        kind: 'update',
        object: 'Resource_Demand__c',
        id: String(line!.Id),
        values: { Total_Hours__c: 500, Start_Date__c: monday, End_Date__c: addDays(monday, 4) }
      }
    ]);
    expect(saved!.success).toBe(true);

    call('book', { demandId: line!.Id, resourceId: person!.Id });
    const [booking] = org.store.query(
      `SELECT Hours_Per_Week__c FROM Assignment__c WHERE Demand__c = '${String(line!.Id)}' AND Resource__c = '${String(person!.Id)}'`
    );
    expect(booking!.Hours_Per_Week__c).toBe(40);
    expect(() => call('book', { demandId: "a0X' OR Name != '", resourceId: person!.Id })).toThrow(
      "Value provided is invalid for action parameter 'demandId' of type 'Id'"
    );
  });
});
