import type { DemandInput, EngineInput, HistoryInput } from '../engine/types';

/** The SOQL the forecast reads, for a horizon [from, to] (ISO dates). No caller text reaches these strings. */
export function inputQueries(from: string, to: string) {
  assertIsoDate(from);
  assertIsoDate(to);
  return {
    resources:
      'SELECT Id, Name, Primary_Role__c, Skills__c, Weekly_Capacity_Hours__c, Working_Days__c, Practice__c, Location__c, Active_From__c, Active_To__c FROM Resource__c',
    timeOff: `SELECT Id, Resource__c, Start_Date__c, End_Date__c, Hours_Per_Day__c FROM Time_Off__c WHERE End_Date__c >= ${from} AND Start_Date__c <= ${to}`,
    holidays: `SELECT Id, Name, ActivityDate FROM Holiday WHERE ActivityDate >= ${from} AND ActivityDate <= ${to}`,
    demand:
      'SELECT Id, Engagement__c, Engagement__r.Opportunity_Key__c, Engagement__r.Status__c, Engagement__r.Practice__c, ' +
      'Role__c, Skill__c, Total_Hours__c, Start_Date__c, End_Date__c, Status__c, Probability__c FROM Resource_Demand__c ' +
      `WHERE Status__c != 'Released' AND End_Date__c >= ${from} AND Start_Date__c <= ${to}`,
    assignments:
      'SELECT Id, Resource__c, Demand__c, Engagement__c, Hours_Per_Week__c, Start_Date__c, End_Date__c, Booking_Type__c ' +
      `FROM Assignment__c WHERE End_Date__c >= ${from} AND Start_Date__c <= ${to}`,
    pipeline:
      "SELECT Id, Name, Opportunity_Key__c, Win_Probability__c, Expected_Start__c FROM Engagement__c WHERE Status__c = 'Pipeline'",
    openDeals: 'SELECT Id, StageName, Probability, LastStageChangeDate FROM Opportunity WHERE IsClosed = false',
    settings:
      "SELECT Probability_Source__c, Calibration_Window_Months__c, Calibration_Prior_Weight__c, Snapshot_Daily_Weeks__c, Snapshot_Retention_Weeks__c, Accuracy_Window_Weeks__c FROM Handoff_Setting__mdt WHERE DeveloperName = 'Default'",
    lastCompleted:
      "SELECT Id, Run_Key__c, Slot__c, Finished_At__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC NULLS LAST LIMIT 1",
    interrupted:
      "SELECT Id, Run_Key__c, Heartbeat_At__c FROM Capacity_Forecast_Run__c WHERE Status__c IN ('Queued', 'Running')"
  };
}

/**
 * OpportunityHistory rows changed on or after `from` (ISO date): the calibration window plus a year before it, so
 * the stages of deals that closed in the window but opened before it are seen too.
 */
export function historyQuery(from: string): string {
  assertIsoDate(from);
  return `SELECT Id, OpportunityId, StageName, Probability, CloseDate, CreatedDate FROM OpportunityHistory WHERE CreatedDate >= ${from}T00:00:00Z ORDER BY OpportunityId, CreatedDate`;
}

/** The calibration settings of the Default Handoff_Setting__mdt record (absent fields keep the engine defaults). */
export function calibrationSettings(rows: Row[]): {
  probabilitySource?: 'entered' | 'calibrated';
  windowMonths?: number;
  priorWeight?: number;
} {
  const row = rows[0] ?? {};
  const source = text(row, 'Probability_Source__c')?.toLowerCase();
  return {
    probabilitySource: source === 'calibrated' || source === 'entered' ? source : undefined,
    windowMonths: number(row, 'Calibration_Window_Months__c'),
    priorWeight: number(row, 'Calibration_Prior_Weight__c')
  };
}

/** OpportunityHistory rows as engine input. */
export function toHistoryInput(rows: Row[]): HistoryInput[] {
  return rows.map((row) => ({
    id: String(row.Id),
    opportunityId: String(row.OpportunityId),
    stage: String(row.StageName ?? ''),
    probability: number(row, 'Probability') ?? null,
    closeDate: text(row, 'CloseDate') ?? null,
    createdDate: String(row.CreatedDate ?? '')
  }));
}

function assertIsoDate(value: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`not an ISO date: ${value}`);
}

type Row = Record<string, unknown>;
const text = (row: Row, field: string) =>
  row[field] === null || row[field] === undefined ? undefined : String(row[field]);
const number = (row: Row, field: string) =>
  row[field] === null || row[field] === undefined ? undefined : Number(row[field]);

/** Engagement statuses after the handoff: their demand is confirmed. */
const CONFIRMED = new Set(['Active', 'On Hold', 'Completed']);

/** "[London] Boxing Day" applies to London only; a holiday without a bracketed location applies firm-wide. */
export function holidayLocation(name: string): string | undefined {
  return /^\[([^\]]+)\]/.exec(name)?.[1]?.trim();
}

export interface ReadRows {
  resources: Row[];
  timeOff: Row[];
  holidays: Row[];
  demand: Row[];
  assignments: Row[];
  pipeline: Row[];
  /** Open opportunities (stage, when it was entered), for calibrated probabilities and slip; optional. */
  openDeals?: Row[];
}

/** Resource__c.Working_Days__c values (a multi-select picklist) by weekday, 0 = Monday. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "Monday;Tuesday;Wednesday" as weekdays [0, 1, 2]; blank means the default week. An unknown value is -1 (refused). */
export function workingDays(value: string | undefined): number[] | undefined {
  if (!value) return undefined;
  return value.split(';').map((day) => WEEKDAYS.indexOf(day.trim()));
}

/** Turns Salesforce rows into engine input. */
export function toEngineInput(rows: ReadRows, roles: string[], asOf: string, horizonWeeks: number): EngineInput {
  const openDeals = new Map((rows.openDeals ?? []).map((row) => [String(row.Id), row]));
  const stageOf = (row: Row | undefined) =>
    row ? { stage: text(row, 'StageName'), stageSince: text(row, 'LastStageChangeDate') } : {};
  const demand: DemandInput[] = [];
  for (const row of rows.demand) {
    const engagement = (row.Engagement__r ?? {}) as Row;
    const status = text(engagement, 'Status__c');
    const layer = status === 'Pipeline' ? 'pipeline' : status && CONFIRMED.has(status) ? 'confirmed' : undefined;
    if (!layer) continue; // lost engagements' demand is released
    demand.push({
      id: String(row.Id),
      opportunityId: text(engagement, 'Opportunity_Key__c') ?? String(row.Engagement__c),
      engagementId: text(row, 'Engagement__c'),
      role: String(row.Role__c),
      skill: text(row, 'Skill__c'),
      practice: text(engagement, 'Practice__c'),
      hours: number(row, 'Total_Hours__c') ?? 0,
      start: String(row.Start_Date__c),
      end: String(row.End_Date__c),
      probability: layer === 'confirmed' ? 100 : (number(row, 'Probability__c') ?? 0),
      layer,
      status: row.Status__c === 'Filled' ? 'Filled' : 'Open'
    });
  }
  return {
    asOf,
    horizonWeeks,
    roles,
    resources: rows.resources.map((row) => ({
      id: String(row.Id),
      name: text(row, 'Name'),
      role: String(row.Primary_Role__c),
      skills: text(row, 'Skills__c')?.split(';') ?? [],
      weeklyHours: number(row, 'Weekly_Capacity_Hours__c') ?? 0,
      workingDays: workingDays(text(row, 'Working_Days__c')),
      practice: text(row, 'Practice__c'),
      location: text(row, 'Location__c'),
      activeFrom: text(row, 'Active_From__c'),
      activeTo: text(row, 'Active_To__c')
    })),
    holidays: rows.holidays.map((row) => ({
      id: text(row, 'Id'),
      date: String(row.ActivityDate),
      location: holidayLocation(String(row.Name))
    })),
    timeOff: rows.timeOff.map((row) => ({
      id: String(row.Id),
      resourceId: String(row.Resource__c),
      start: String(row.Start_Date__c),
      end: String(row.End_Date__c),
      hoursPerDay: number(row, 'Hours_Per_Day__c')
    })),
    demand,
    assignments: rows.assignments.map((row) => ({
      id: String(row.Id),
      resourceId: String(row.Resource__c),
      demandId: text(row, 'Demand__c'),
      engagementId: text(row, 'Engagement__c'),
      hoursPerWeek: number(row, 'Hours_Per_Week__c') ?? 0,
      start: String(row.Start_Date__c),
      end: String(row.End_Date__c),
      booking: row.Booking_Type__c === 'Hard' ? 'Hard' : 'Soft'
    })),
    opportunities: rows.pipeline
      .filter((row) => text(row, 'Opportunity_Key__c'))
      .map((row) => ({
        id: String(row.Opportunity_Key__c),
        engagementId: text(row, 'Id'),
        name: text(row, 'Name'),
        probability: number(row, 'Win_Probability__c') ?? 0,
        expectedStart: text(row, 'Expected_Start__c'),
        ...stageOf(openDeals.get(String(row.Opportunity_Key__c)))
      }))
  };
}
