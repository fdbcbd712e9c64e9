import type { LocalOrg } from '@handoff/local-org';
import { addDays, mondayOf, spread, weeksBetween, workingDays } from './weeks';

/**
 * PREVIEW ADAPTERS, not the product. The Apex controllers in the features of force-app/main are what ships; these
 * are small TypeScript twins of their methods so the real components can run in a browser against the local org.
 * Each runs the controller's queries through the local org's store and returns the shape the Apex method returns to
 * the component. Differences: the store has no bind variables, so values enter a query only as validated Ids, dates
 * computed here, or through `soqlString`; `WITH USER_MODE` is left out because the local org has one admin user and
 * enforces no sharing or field access; ForecastHealth's `GROUP BY DAY_ONLY(convertTimezone(...))` is done in TypeScript (UTC days, the org's zone).
 */

type Row = Record<string, unknown>;
type Params = Record<string, unknown>;
export type ApexMethod = (org: LocalOrg, params: Params) => unknown;

/** An error the component shows as it is: AuraHandledException, or Apex refusing a parameter. */
export class AuraHandledError extends Error {}

const MAX_ERROR_LENGTH = 2000;
const DEFAULT_STALE_AFTER_HOURS = 24;
const DEFAULT_EXPECTED_WEEKLY_ENGAGEMENTS = 3;

// --- parameters, as Apex deserialises them ---

const invalid = (name: string, type: string) =>
  new AuraHandledError(`Value provided is invalid for action parameter '${name}' of type '${type}'`);

function idParam(params: Params, name: string): string | null {
  const value = params[name];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) throw invalid(name, 'Id');
  return value;
}

function stringParam(params: Params, name: string): string | null {
  const value = params[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(name, 'String');
  return value;
}

function integerParam(params: Params, name: string): number | null {
  const value = params[name];
  if (value === undefined || value === null || value === '') return null;
  const number = Number(value);
  if (!Number.isInteger(number)) throw invalid(name, 'Integer');
  return number;
}

function booleanParam(params: Params, name: string): boolean | null {
  const value = params[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw invalid(name, 'Boolean');
  return value;
}

function stringListParam(params: Params, name: string): string[] {
  const value = params[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(name, 'List<String>');
  return value as string[];
}

// --- reading query rows ---

/** A SOQL string literal: the role of a bind variable. */
export const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const date = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, 10) : null);
/** Apex serialises a Datetime as ISO 8601 in UTC ("...Z"); the org's REST format is "...+0000". */
const datetime = (value: unknown): string | null => (typeof value === 'string' ? new Date(value).toISOString() : null);
const parent = (row: Row, relationship: string): Row => (row[relationship] as Row | null) ?? {};
const children = (row: Row, relationship: string): Row[] =>
  (row[relationship] as { records: Row[] } | null)?.records ?? [];
const round2 = (value: number) => Math.round(value * 100) / 100;
const todayIso = () => new Date().toISOString().slice(0, 10);

function picklistValues(org: LocalOrg, object: string, field: string): string[] {
  return org.store.schema.field(object, field)?.picklistValues ?? [];
}

// --- ForecastSlot ---

/** ForecastSlot.current(): the latest Completed run. */
export function currentRun(org: LocalOrg): Row | undefined {
  return org.store.query(
    "SELECT Id, Name, Slot__c, Status__c, As_Of__c, Horizon_Weeks__c, Started_At__c, Finished_At__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC NULLS LAST LIMIT 1"
  )[0];
}

function settings(org: LocalOrg): Row {
  return (
    org.store.query(
      "SELECT Forecast_Stale_After_Hours__c, Expected_Weekly_Engagements__c FROM Handoff_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1"
    )[0] ?? {}
  );
}

const staleAfterHours = (org: LocalOrg) =>
  num(settings(org).Forecast_Stale_After_Hours__c) ?? DEFAULT_STALE_AFTER_HOURS;

function isStale(org: LocalOrg, run: Row | undefined): boolean {
  if (!run) return false;
  const finished = datetime(run.Finished_At__c);
  if (!finished) return true;
  return Date.parse(finished) + staleAfterHours(org) * 3_600_000 < Date.now();
}

// --- CapacityHeatmapController.getHeatmap ---

interface HeatmapRow {
  name: string;
  capacity: (number | null)[];
  confirmed: (number | null)[];
  weighted: (number | null)[];
  exposure: (number | null)[];
  tentative: (number | null)[];
  p50: (number | null)[];
  p90: (number | null)[];
  shortageProbability: (number | null)[];
}

const LAYER_FIELDS = {
  capacity: 'Capacity_Hours__c',
  confirmed: 'Confirmed_Hours__c',
  weighted: 'Weighted_Hours__c',
  exposure: 'Exposure_Hours__c',
  tentative: 'Tentative_Hours__c',
  p50: 'P50_Hours__c',
  p90: 'P90_Hours__c',
  shortageProbability: 'Shortage_Probability__c'
} as const;

export function emptyHeatmapRow(name: string, size: number): HeatmapRow {
  const blank = () => new Array<number | null>(size).fill(null);
  return {
    name,
    capacity: blank(),
    confirmed: blank(),
    weighted: blank(),
    exposure: blank(),
    tentative: blank(),
    p50: blank(),
    p90: blank(),
    shortageProbability: blank()
  };
}

const getHeatmap: ApexMethod = (org, params) => {
  const requested = stringParam(params, 'dimension');
  const dimension = ['Role', 'Practice', 'Skill'].find((allowed) => allowed.toLowerCase() === requested?.toLowerCase());
  if (!dimension) throw new AuraHandledError(`Unknown heatmap dimension "${requested}": use Role, Practice or Skill.`);
  const horizon = integerParam(params, 'horizonWeeks');
  const weekCount = horizon === null ? 26 : Math.max(1, Math.min(104, horizon));
  const heatmap = {
    dimension,
    horizonWeeks: weekCount,
    computed: false,
    finishedAt: null as string | null,
    stale: false,
    staleAfterHours: staleAfterHours(org),
    weeks: [] as string[],
    rows: [] as HeatmapRow[],
    roleOptions: picklistValues(org, 'Resource__c', 'Primary_Role__c'),
    practiceOptions: picklistValues(org, 'Resource__c', 'Practice__c'),
    skillOptions: picklistValues(org, 'Resource__c', 'Skills__c')
  };
  const run = currentRun(org);
  if (!run) return heatmap;
  heatmap.computed = true;
  heatmap.finishedAt = datetime(run.Finished_At__c);
  heatmap.stale = isStale(org, run);
  const thisWeek = mondayOf(todayIso());
  const asOf = date(run.As_Of__c);
  const firstWeek = asOf && asOf > thisWeek ? mondayOf(asOf) : thisWeek;
  const lastWeek = addDays(firstWeek, 7 * (weekCount - 1));
  heatmap.weeks = weeksBetween(firstWeek, lastWeek);
  const filterParam = { Role: 'roles', Practice: 'practices', Skill: 'skills' }[dimension]!;
  const names = new Set(
    stringListParam(params, filterParam)
      .filter((name) => name.trim())
      .map((name) => name.trim())
  );
  // Skill rows are named "role / skill"; their filter is on Skill__c.
  const filterField = dimension === 'Skill' ? 'Skill__c' : 'Name__c';
  const nameFilter = names.size ? ` AND ${filterField} IN (${[...names].map(soqlString).join(', ')})` : '';
  const cells = org.store.query(
    `SELECT Name__c, Week_Start__c, ${Object.values(LAYER_FIELDS).join(', ')} FROM Capacity_Forecast__c ` +
      `WHERE Slot__c = ${soqlString(text(run.Slot__c) ?? '')} AND Dimension__c = ${soqlString(dimension)} ` +
      `AND Week_Start__c >= ${firstWeek} AND Week_Start__c <= ${lastWeek}${nameFilter} ` +
      'ORDER BY Name__c, Week_Start__c LIMIT 12000'
  );
  let row: HeatmapRow | undefined;
  for (const cell of cells) {
    if (!row || row.name !== cell.Name__c) {
      row = emptyHeatmapRow(String(cell.Name__c), heatmap.weeks.length);
      heatmap.rows.push(row);
    }
    const column = heatmap.weeks.indexOf(date(cell.Week_Start__c) ?? '');
    if (column < 0) continue;
    for (const [layer, field] of Object.entries(LAYER_FIELDS))
      row[layer as keyof typeof LAYER_FIELDS][column] = num(cell[field]);
  }
  return heatmap;
};

// --- DeliveryOutlookController.getOutlook ---

const listed = (commaSeparated: string | null) =>
  (commaSeparated ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);

function readShortfalls(detail: string | null): unknown[] {
  if (!detail) return [];
  try {
    const parsed: unknown = JSON.parse(detail);
    if (!Array.isArray(parsed)) return [];
    // As in Apex: a null earliest start is left out of what the component gets, so say "none within the horizon"
    // explicitly, and only when the service wrote the key.
    // As in Apex: a null entry is dropped, the others kept.
    const entries = parsed.filter(
      (entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object' && !Array.isArray(entry)
    );
    return entries.map((shortfall) => {
      const { earliestFeasibleStart, ...rest } = shortfall;
      const noStartWithinHorizon = 'earliestFeasibleStart' in shortfall && earliestFeasibleStart === null;
      return { ...rest, ...(earliestFeasibleStart == null ? {} : { earliestFeasibleStart }), noStartWithinHorizon };
    });
  } catch {
    return []; // as in Apex: an unreadable detail loses the hours, never the answer
  }
}

const getOutlook: ApexMethod = (org, params) => {
  const opportunityId = idParam(params, 'opportunityId');
  if (!opportunityId) return null;
  const run = currentRun(org);
  const slot = text(run?.Slot__c);
  const deal = org.store.query(
    'SELECT Id, Name, IsClosed, HasOpportunityLineItem, Expected_Start__c, ' +
      '(SELECT Id, Name, Status__c FROM Engagements__r ORDER BY CreatedDate LIMIT 1), ' +
      '(SELECT Staffable__c, Answer_State__c, Planned_Start__c, Start_Basis__c, Start_Shift_Days__c, Earliest_Feasible_Start__c, ' +
      'Shortfall_Hours__c, Over_Committed_Hours__c, Hours_Beyond_Horizon__c, Horizon_End__c, Short_Roles__c, Short_Skills__c, Shortfalls__c ' +
      `FROM Staffing_Answers__r WHERE Slot__c = ${slot ? soqlString(slot) : 'null'} ORDER BY LastModifiedDate DESC LIMIT 1) ` +
      `FROM Opportunity WHERE Id = '${opportunityId}' LIMIT 1`
  )[0];
  if (!deal) return null;
  const lines = org.store.query(
    'SELECT Role__c, Total_Hours__c, Weighted_Hours__c, Start_Date__c, End_Date__c FROM Resource_Demand__c ' +
      `WHERE Engagement__r.Opportunity__c = '${opportunityId}' AND Status__c != 'Released' ORDER BY Role__c, Start_Date__c LIMIT 2000`
  );
  const engagement = children(deal, 'Engagements__r')[0];
  const answer = run ? children(deal, 'Staffing_Answers__r')[0] : undefined;
  const expectedStart = date(deal.Expected_Start__c);

  const hoursByRole = new Map<string, Map<string, number>>();
  const weightedByRole = new Map<string, Map<string, number>>();
  const mondays: string[] = [];
  for (const line of lines) {
    const role = String(line.Role__c);
    if (!hoursByRole.has(role)) [hoursByRole, weightedByRole].forEach((byRole) => byRole.set(role, new Map()));
    const start = date(line.Start_Date__c);
    const end = date(line.End_Date__c);
    const hours = spread(num(line.Total_Hours__c), start, end);
    const share = spread(num(line.Weighted_Hours__c) ?? 0, start, end);
    for (const [monday, value] of hours) {
      const add = (byWeek: Map<string, number>, amount = 0) => byWeek.set(monday, (byWeek.get(monday) ?? 0) + amount);
      add(hoursByRole.get(role)!, value);
      add(weightedByRole.get(role)!, share.get(monday));
      mondays.push(monday);
    }
  }
  mondays.sort();
  const weeks = weeksBetween(mondays[0], mondays[mondays.length - 1]);
  const roles = [...hoursByRole.keys()].sort().map((role) => {
    const cells = weeks.map((weekStart) => ({
      weekStart,
      hours: round2(hoursByRole.get(role)!.get(weekStart) ?? 0),
      weightedHours: round2(weightedByRole.get(role)!.get(weekStart) ?? 0)
    }));
    const total = (key: 'hours' | 'weightedHours') => round2(cells.reduce((sum, cell) => sum + cell[key], 0));
    return { role, totalHours: total('hours'), totalWeightedHours: total('weightedHours'), weeks: cells };
  });
  const engagementId = text(engagement?.Id);
  const staffing = answer && {
    staffable: answer.Staffable__c === true,
    answerState: text(answer.Answer_State__c),
    plannedStart: date(answer.Planned_Start__c),
    startBasis: text(answer.Start_Basis__c),
    startShiftDays: num(answer.Start_Shift_Days__c),
    earliestFeasibleStart: date(answer.Earliest_Feasible_Start__c),
    shortfallHours: num(answer.Shortfall_Hours__c),
    overCommittedHours: num(answer.Over_Committed_Hours__c),
    hoursBeyondHorizon: num(answer.Hours_Beyond_Horizon__c),
    horizonEnd: date(answer.Horizon_End__c),
    shortRoles: listed(text(answer.Short_Roles__c)),
    shortSkills: listed(text(answer.Short_Skills__c)),
    shortfalls: readShortfalls(text(answer.Shortfalls__c)),
    answeredForOtherStart: expectedStart !== null && expectedStart !== date(answer.Planned_Start__c)
  };
  const state = !deal.HasOpportunityLineItem
    ? 'noLineItems'
    : !engagementId
      ? 'noEngagement'
      : deal.IsClosed
        ? 'closed'
        : staffing
          ? 'ready'
          : 'notComputed';
  return {
    opportunityId: deal.Id,
    opportunityName: deal.Name,
    state,
    engagementId,
    engagementName: text(engagement?.Name),
    engagementStatus: text(engagement?.Status__c),
    expectedStart,
    weeks,
    roles,
    totalHours: round2(roles.reduce((sum, role) => sum + role.totalHours, 0)),
    totalWeightedHours: round2(roles.reduce((sum, role) => sum + role.totalWeightedHours, 0)),
    staffing: staffing ?? null,
    forecastFinishedAt: datetime(run?.Finished_At__c),
    forecastStale: isStale(org, run),
    staleAfterHours: staleAfterHours(org)
  };
};

// --- HandoffController.getHandoff and updateChecklistItem ---

const getHandoff: ApexMethod = (org, params) => {
  const engagementId = idParam(params, 'engagementId');
  if (!engagementId) return null;
  const engagement = org.store.query(
    'SELECT Id, Name, Status__c, Billable__c, Contract_Value__c, Win_Probability__c, Expected_Start__c, Expected_End__c, ' +
      'Billing_Type__c, Practice__c, Entered_Active__c, Handoff_Quality_Score__c, Handoff_Quality_Notes__c, Account__r.Name, ' +
      'Opportunity__c, Opportunity__r.Name, Delivery_Lead__r.Name, ' +
      '(SELECT Id, Name, Service__c, Quantity__c, Unit_Price__c, Total_Price__c, Hours__c, Start_Date__c, End_Date__c ' +
      'FROM Phases__r ORDER BY Start_Date__c NULLS LAST, Name LIMIT 200), ' +
      '(SELECT Id, Field__c, Old_Value__c, New_Value__c, Changed_By__r.Name, Changed_At__c ' +
      'FROM Changes__r ORDER BY Changed_At__c DESC NULLS LAST, Name DESC LIMIT 50), ' +
      '(SELECT Id, Question__c, Answer__c, Done__c, Sort_Order__c FROM Checklist_Items__r ORDER BY Sort_Order__c NULLS LAST, Name LIMIT 200), ' +
      "(SELECT Role__c, Total_Hours__c FROM Demands__r WHERE Status__c != 'Released' LIMIT 2000), " +
      '(SELECT Resource__r.Name, Resource__r.Primary_Role__c, Demand__r.Role__c, Hours_Per_Week__c, Start_Date__c, End_Date__c ' +
      'FROM Assignments__r LIMIT 2000) ' +
      `FROM Engagement__c WHERE Id = '${engagementId}' LIMIT 1`
  )[0];
  if (!engagement) return null;
  const activeSince = datetime(engagement.Entered_Active__c);
  const items = children(engagement, 'Checklist_Items__r');
  const done = items.filter((item) => item.Done__c === true).length;

  const coverage = new Map<string, { role: string; demandHours: number; assignedHours: number; people: string[] }>();
  const coverageOf = (role: string) =>
    coverage.get(role) ?? coverage.set(role, { role, demandHours: 0, assignedHours: 0, people: [] }).get(role)!;
  for (const demand of children(engagement, 'Demands__r')) {
    coverageOf(String(demand.Role__c)).demandHours += num(demand.Total_Hours__c) ?? 0;
  }
  for (const assignment of children(engagement, 'Assignments__r')) {
    const resource = parent(assignment, 'Resource__r');
    const role = text(parent(assignment, 'Demand__r').Role__c) ?? text(resource.Primary_Role__c) ?? 'No role';
    const row = coverageOf(role);
    const weeks = workingDays(date(assignment.Start_Date__c), date(assignment.End_Date__c)) / 5;
    row.assignedHours += (num(assignment.Hours_Per_Week__c) ?? 0) * weeks;
    const person = text(resource.Name);
    if (person && !row.people.includes(person)) row.people.push(person);
  }
  return {
    sold: {
      engagementId: engagement.Id,
      name: engagement.Name,
      status: engagement.Status__c,
      billable: engagement.Billable__c,
      clientName: text(parent(engagement, 'Account__r').Name),
      opportunityId: text(engagement.Opportunity__c),
      opportunityName: text(parent(engagement, 'Opportunity__r').Name),
      deliveryLeadName: text(parent(engagement, 'Delivery_Lead__r').Name),
      contractValue: num(engagement.Contract_Value__c),
      winProbability: num(engagement.Win_Probability__c),
      expectedStart: date(engagement.Expected_Start__c),
      expectedEnd: date(engagement.Expected_End__c),
      billingType: text(engagement.Billing_Type__c),
      practice: text(engagement.Practice__c),
      handedOffAt: activeSince
    },
    phases: children(engagement, 'Phases__r').map((phase) => ({
      id: phase.Id,
      name: phase.Name,
      service: text(phase.Service__c),
      quantity: num(phase.Quantity__c),
      unitPrice: num(phase.Unit_Price__c),
      totalPrice: num(phase.Total_Price__c),
      hours: num(phase.Hours__c),
      startDate: date(phase.Start_Date__c),
      endDate: date(phase.End_Date__c)
    })),
    changes: children(engagement, 'Changes__r').map((change) => ({
      id: change.Id,
      fieldLabel: org.store.schema.field('Engagement__c', String(change.Field__c))?.label ?? text(change.Field__c),
      oldValue: text(change.Old_Value__c),
      newValue: text(change.New_Value__c),
      changedByName: text(parent(change, 'Changed_By__r').Name),
      changedAt: datetime(change.Changed_At__c)
    })),
    checklist: {
      items: items.map((item) => ({
        id: item.Id,
        question: text(item.Question__c),
        answer: text(item.Answer__c),
        done: item.Done__c === true
      })),
      done,
      total: items.length,
      completeness: items.length ? Math.round((done * 100) / items.length) : 0
    },
    quality: {
      score: num(engagement.Handoff_Quality_Score__c),
      notes: text(engagement.Handoff_Quality_Notes__c),
      scorableFrom: activeSince ? addDays(activeSince, 90) : null,
      scorable: activeSince !== null && Date.parse(activeSince) + 90 * 86_400_000 <= Date.now()
    },
    coverage: [...coverage.values()]
      .sort((a, b) => (a.role < b.role ? -1 : 1))
      .map((row) => {
        const demandHours = round2(row.demandHours);
        const assignedHours = round2(row.assignedHours);
        const gapHours = demandHours > assignedHours ? round2(demandHours - assignedHours) : 0;
        return { ...row, demandHours, assignedHours, gapHours, people: row.people.sort() };
      })
  };
};

const updateChecklistItem: ApexMethod = (org, params) => {
  const itemId = idParam(params, 'itemId');
  if (!itemId || !org.store.get('Handoff_Checklist_Item__c', itemId)) {
    throw new AuraHandledError('Choose a handoff checklist item to update.');
  }
  const answer = stringParam(params, 'answer');
  const values: Row = { Done__c: booleanParam(params, 'done') === true };
  if (answer !== null) values.Answer__c = answer;
  const [result] = org.store.write([{ kind: 'update', object: 'Handoff_Checklist_Item__c', id: itemId, values }]);
  if (!result?.success) {
    throw new AuraHandledError(`The checklist item was not saved: ${result?.errors[0]?.message ?? 'unknown error'}`);
  }
  return null;
};

// --- ForecastHealthController.getHealth ---

const RUN_FIELDS =
  'Id, Name, Status__c, Trigger__c, Slot__c, Started_At__c, Finished_At__c, Duration_Ms__c, Rows_Written__c, ' +
  'API_Calls_Used__c, Retries__c, Error__c, CreatedDate';

function runOf(run: Row) {
  const error = text(run.Error__c);
  return {
    id: run.Id,
    name: run.Name,
    status: run.Status__c,
    triggeredBy: text(run.Trigger__c),
    createdAt: datetime(run.CreatedDate),
    startedAt: datetime(run.Started_At__c),
    finishedAt: datetime(run.Finished_At__c),
    durationMs: num(run.Duration_Ms__c),
    rowsWritten: num(run.Rows_Written__c),
    apiCallsUsed: num(run.API_Calls_Used__c),
    retries: num(run.Retries__c),
    error: error && error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 3)}...` : error,
    nothingChanged: run.Status__c === 'Completed' && run.Rows_Written__c === 0
  };
}

/** The first record's CreatedDate, in system mode (the Apex reads it WITH SYSTEM_MODE). */
const firstCreated = (org: LocalOrg, object: string) =>
  datetime(org.store.query(`SELECT CreatedDate FROM ${object} ORDER BY CreatedDate ASC LIMIT 1`)[0]?.CreatedDate);

const getHealth: ApexMethod = (org) => {
  const history = org.store
    .query(
      `SELECT ${RUN_FIELDS} FROM Capacity_Forecast_Run__c WHERE Status__c != 'Coalesced' ORDER BY CreatedDate DESC, Name DESC LIMIT 10`
    )
    .map(runOf);
  const current = currentRun(org);
  const failures = org.store.query(
    `SELECT ${RUN_FIELDS} FROM Capacity_Forecast_Run__c WHERE Status__c = 'Failed' ORDER BY CreatedDate DESC, Name DESC LIMIT 10`
  );
  // The Apex groups by DAY_ONLY(convertTimezone(CreatedDate)); the local org's time zone is GMT, so days are UTC.
  const thisWeek = mondayOf(todayIso());
  const firstWeek = addDays(thisWeek, -28);
  const created = new Map<string, number>();
  for (const row of org.store.query(
    `SELECT CreatedDate FROM Engagement__c WHERE CreatedDate >= ${firstWeek}T00:00:00Z AND CreatedDate < ${thisWeek}T00:00:00Z`
  )) {
    const monday = mondayOf(String(row.CreatedDate));
    created.set(monday, (created.get(monday) ?? 0) + 1);
  }
  const expectedPerWeek = num(settings(org).Expected_Weekly_Engagements__c) ?? DEFAULT_EXPECTED_WEEKLY_ENGAGEMENTS;
  // Checked from the week the org had both its first deal and its first engagement; none before.
  const firstDeal = firstCreated(org, 'Opportunity');
  const firstEngagement = firstCreated(org, 'Engagement__c');
  const checkedFrom =
    firstDeal && firstEngagement ? mondayOf(firstDeal > firstEngagement ? firstDeal : firstEngagement) : null;
  const weeks = weeksBetween(firstWeek, addDays(thisWeek, -7)).map((weekStart) => ({
    weekStart,
    created: created.get(weekStart) ?? 0,
    checked: checkedFrom !== null && weekStart >= checkedFrom
  }));
  return {
    lastRun: history[0] ?? null,
    history,
    currentRunId: current?.Id ?? null,
    currentFinishedAt: datetime(current?.Finished_At__c),
    stale: isStale(org, current),
    staleAfterHours: staleAfterHours(org),
    failures: failures.map(runOf),
    baseline: {
      expectedPerWeek,
      weeks,
      quietWeeks: weeks
        .filter((week) => week.checked && week.created === 0 && expectedPerWeek > 0)
        .map((week) => week.weekStart),
      checkedFrom
    }
  };
};

// --- EngagementSummaryController.getSummary ---

const getSummary: ApexMethod = (org, params) => {
  const engagementId = idParam(params, 'engagementId');
  if (!engagementId) return null;
  const row = org.store.query(
    'SELECT Id, Name, Status__c, Billable__c, Contract_Value__c, Expected_Start__c, Account__r.Name, Opportunity__r.Name, ' +
      `Opportunity__r.StageName FROM Engagement__c WHERE Id = '${engagementId}' LIMIT 1`
  )[0];
  if (!row) return null;
  const opportunity = parent(row, 'Opportunity__r');
  return {
    id: row.Id,
    name: row.Name,
    status: row.Status__c,
    billable: row.Billable__c,
    contractValue: num(row.Contract_Value__c),
    expectedStart: date(row.Expected_Start__c),
    clientName: text(parent(row, 'Account__r').Name),
    opportunityName: text(opportunity.Name),
    opportunityStage: text(opportunity.StageName)
  };
};

// --- IntegrationOutboxController.getMessages and replay (through IntegrationOutbox.replay) ---

const OUTBOX_MAX_ROWS = 200;
const OUTBOX_MAX_ERROR_LENGTH = 1000;
const OUTBOX_REPLAYABLE = ['Failed', 'Dead Letter'];

/** Apex's String.abbreviate: at most `length` characters, the last three '...' when shortened. */
const abbreviate = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 3)}...`;

function outboxFilter(org: LocalOrg, field: string, value: string | null): string[] {
  const all = picklistValues(org, 'Integration_Message__c', field);
  if (value === null || value.trim() === '') return all;
  if (!all.includes(value)) {
    throw new AuraHandledError(`Integration_Message__c.${field}: "${value}" is not a value of the field.`);
  }
  return [value];
}

const getMessages: ApexMethod = (org, params) => {
  const statuses = outboxFilter(org, 'Status__c', stringParam(params, 'status'));
  const topics = outboxFilter(org, 'Topic__c', stringParam(params, 'topic'));
  const inList = (values: string[]) => values.map(soqlString).join(', ');
  const rows = org.store.query(
    'SELECT Id, Name, Idempotency_Key__c, Topic__c, Status__c, Payload_Version__c, Attempts__c, Max_Attempts__c, ' +
      'Next_Attempt_At__c, Delivered_At__c, Last_Error__c, Engagement__c, Source_Record_Id__c, Replay_Reason__c, ' +
      `Replayed_At__c, CreatedDate FROM Integration_Message__c WHERE Status__c IN (${inList(statuses)}) ` +
      `AND Topic__c IN (${inList(topics)}) ORDER BY CreatedDate DESC, Name DESC LIMIT ${OUTBOX_MAX_ROWS + 1}`
  );
  const counts = new Map<string, number>();
  for (const row of org.store.query(
    `SELECT Status__c FROM Integration_Message__c WHERE Topic__c IN (${inList(topics)})`
  )) {
    counts.set(String(row.Status__c), (counts.get(String(row.Status__c)) ?? 0) + 1);
  }
  return {
    messages: rows.slice(0, OUTBOX_MAX_ROWS).map((row) => ({
      id: row.Id,
      name: row.Name,
      idempotencyKey: row.Idempotency_Key__c,
      topic: row.Topic__c,
      status: row.Status__c,
      payloadVersion: num(row.Payload_Version__c),
      attempts: num(row.Attempts__c),
      maxAttempts: num(row.Max_Attempts__c),
      nextAttemptAt: datetime(row.Next_Attempt_At__c),
      deliveredAt: datetime(row.Delivered_At__c),
      lastError:
        text(row.Last_Error__c) === null ? null : abbreviate(String(row.Last_Error__c), OUTBOX_MAX_ERROR_LENGTH),
      engagementId: row.Engagement__c ?? null,
      sourceRecordId: row.Source_Record_Id__c ?? null,
      replayReason: row.Replay_Reason__c ?? null,
      replayedAt: datetime(row.Replayed_At__c),
      createdAt: datetime(row.CreatedDate),
      replayable: OUTBOX_REPLAYABLE.includes(String(row.Status__c))
    })),
    truncated: rows.length > OUTBOX_MAX_ROWS,
    // The Apex groups by Status__c; its order is the database's, here the picklist's.
    counts: picklistValues(org, 'Integration_Message__c', 'Status__c')
      .filter((status) => counts.has(status))
      .map((status) => ({ status, total: counts.get(status) })),
    statuses: picklistValues(org, 'Integration_Message__c', 'Status__c'),
    topics: picklistValues(org, 'Integration_Message__c', 'Topic__c')
  };
};

const replayMessages: ApexMethod = (org, params) => {
  const reason = stringParam(params, 'reason');
  if (reason === null || reason.trim() === '') {
    throw new AuraHandledError('Replay_Reason__c: say why the messages are replayed.');
  }
  const value = params.ids;
  if (!Array.isArray(value)) throw invalid('ids', 'List<Id>');
  const ids = [...new Set(value.map((_, index) => idParam({ id: value[index] }, 'id')).filter((id) => id !== null))];
  if (ids.length === 0) throw new AuraHandledError('Select at least one Integration_Message__c to replay.');
  const rows = org.store.query(
    `SELECT Id, Name, Status__c FROM Integration_Message__c WHERE Id IN (${ids.map(soqlString).join(', ')})`
  );
  const problems = rows
    .filter((row) => !OUTBOX_REPLAYABLE.includes(String(row.Status__c)))
    .map(
      (row) =>
        `Integration_Message__c ${String(row.Name)}: Status__c is ${String(row.Status__c)}; only Failed and Dead Letter messages are replayed`
    );
  const found = new Set(rows.map((row) => String(row.Id).slice(0, 15)));
  for (const id of ids) {
    if (!found.has(id.slice(0, 15))) problems.push(`Integration_Message__c ${id}: not found, or you cannot see it`);
  }
  if (problems.length > 0) throw new AuraHandledError(problems.join('; '));
  const now = new Date().toISOString();
  const results = org.store.write(
    rows.map((row) => ({
      kind: 'update' as const,
      object: 'Integration_Message__c',
      id: String(row.Id),
      values: {
        Status__c: 'Pending',
        Attempts__c: 0,
        Next_Attempt_At__c: now,
        Last_Error__c: null,
        Claim_Token__c: null,
        Replay_Reason__c: reason,
        Replayed_At__c: now,
        Replayed_By__c: org.userId
      }
    }))
  );
  const failed = results.find((result) => !result.success);
  if (failed) {
    throw new AuraHandledError(
      `Integration_Message__c could not be replayed: ${failed.errors[0]?.message ?? 'unknown error'}`
    );
  }
  return rows.length;
};

/** `Class.method` → its preview adapter. An import with no adapter here answers an error the page shows. */
export const APEX_METHODS = new Map<string, ApexMethod>([
  ['CapacityHeatmapController.getHeatmap', getHeatmap],
  ['DeliveryOutlookController.getOutlook', getOutlook],
  ['HandoffController.getHandoff', getHandoff],
  ['HandoffController.updateChecklistItem', updateChecklistItem],
  ['ForecastHealthController.getHealth', getHealth],
  ['EngagementSummaryController.getSummary', getSummary],
  ['IntegrationOutboxController.getMessages', getMessages],
  ['IntegrationOutboxController.replay', replayMessages]
]);
