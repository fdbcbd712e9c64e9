import { compileRules, readRuleRecords, RuleError, type LocalOrg } from '@handoff/local-org';
import * as handoffTwins from './handoff-twins';
import { addDays, mondayOf, spread, weeksBetween, workingDays } from './weeks';
import { SCENARIO_METHODS } from './scenario-adapters';

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

import { AuraHandledError } from './aura-error';

export { AuraHandledError };

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
      "SELECT Forecast_Stale_After_Hours__c, Expected_Weekly_Engagements__c, Probability_Source__c FROM Handoff_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1"
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
  role: string | null;
  skill: string | null;
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

export function emptyHeatmapRow(
  name: string,
  size: number,
  role: string | null = null,
  skill: string | null = null
): HeatmapRow {
  const blank = () => new Array<number | null>(size).fill(null);
  return {
    name,
    role,
    skill,
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
  const run = currentRun(org);
  const runHorizon = num(run?.Horizon_Weeks__c);
  const computedWeeks = runHorizon === null ? 104 : Math.max(1, Math.min(104, Math.trunc(runHorizon)));
  const weekCount = Math.min(horizon === null ? 26 : Math.max(1, Math.min(104, horizon)), computedWeeks);
  const heatmap = {
    dimension,
    horizonWeeks: weekCount,
    computed: false,
    computedHorizonWeeks: null as number | null,
    runId: null as string | null,
    truncated: false,
    maxCells: heatmapLimits.maxCells,
    probabilitySource: probabilitySource(org),
    finishedAt: null as string | null,
    stale: false,
    staleAfterHours: staleAfterHours(org),
    weeks: [] as string[],
    rows: [] as HeatmapRow[],
    roleOptions: picklistValues(org, 'Resource__c', 'Primary_Role__c'),
    practiceOptions: picklistValues(org, 'Resource__c', 'Practice__c'),
    skillOptions: picklistValues(org, 'Resource__c', 'Skills__c')
  };
  if (!run) return heatmap;
  heatmap.computed = true;
  heatmap.computedHorizonWeeks = computedWeeks;
  heatmap.runId = text(run.Id);
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
    `SELECT Name__c, Skill__c, Week_Start__c, ${Object.values(LAYER_FIELDS).join(', ')} FROM Capacity_Forecast__c ` +
      `WHERE Slot__c = ${soqlString(text(run.Slot__c) ?? '')} AND Dimension__c = ${soqlString(dimension)} ` +
      `AND Week_Start__c >= ${firstWeek} AND Week_Start__c <= ${lastWeek}${nameFilter} ` +
      `ORDER BY Name__c, Week_Start__c LIMIT ${heatmapLimits.maxCells + 1}`
  );
  heatmap.truncated = cells.length > heatmapLimits.maxCells;
  if (heatmap.truncated) cells.length = heatmapLimits.maxCells;
  let row: HeatmapRow | undefined;
  for (const cell of cells) {
    if (!row || row.name !== cell.Name__c) {
      const name = String(cell.Name__c);
      const skill = dimension === 'Skill' ? text(cell.Skill__c) : null;
      const suffix = skill ? ` / ${skill}` : '';
      // As in Apex: Name__c is "role / skill", cut at 80 characters; the role comes before the skill or the first " / ".
      const role =
        dimension === 'Practice'
          ? null
          : suffix && name.endsWith(suffix)
            ? name.slice(0, -suffix.length)
            : name.split(' / ')[0]!;
      row = emptyHeatmapRow(name, heatmap.weeks.length, role, skill);
      heatmap.rows.push(row);
    }
    const column = heatmap.weeks.indexOf(date(cell.Week_Start__c) ?? '');
    if (column < 0) continue;
    for (const [layer, field] of Object.entries(LAYER_FIELDS))
      row[layer as keyof typeof LAYER_FIELDS][column] = num(cell[field]);
  }
  // As in Apex: the last row may have lost weeks to the limit, so it is left out.
  if (heatmap.truncated && heatmap.rows.length > 1) heatmap.rows.pop();
  return heatmap;
};

/** The Apex limits (maxCells, maxDetailLines are @TestVisible there); tests lower them to reach them. */
export const heatmapLimits = { maxCells: 12000, maxDetailLines: 500 };

const NO_PRACTICE = '(no practice)';
const DEMAND_STATUSES = ['Pipeline', 'Active', 'On Hold', 'Completed'];

// --- CapacityHeatmapController.getScenarios and getScenarioHeatmap ---

const SCENARIO_FIELDS = 'Id, Name, Status__c, Based_On_Run__c, Computed_At__c';

function scenarioOption(scenario: Row, currentRunId: string | null) {
  return {
    id: scenario.Id,
    name: text(scenario.Name),
    status: text(scenario.Status__c),
    basedOnRunId: text(scenario.Based_On_Run__c),
    computedAt: datetime(scenario.Computed_At__c),
    current: scenario.Status__c === 'Completed' && currentRunId !== null && scenario.Based_On_Run__c === currentRunId
  };
}

const getScenarios: ApexMethod = (org) => {
  const runId = text(currentRun(org)?.Id);
  return org.store
    .query(
      `SELECT ${SCENARIO_FIELDS} FROM Capacity_Scenario__c WHERE Status__c = 'Completed' ORDER BY Computed_At__c DESC NULLS LAST, Name LIMIT 200`
    )
    .map((scenario) => scenarioOption(scenario, runId));
};

const getScenarioHeatmap: ApexMethod = (org, params) => {
  const requested = stringParam(params, 'dimension');
  const dimension = ['Role', 'Practice', 'Skill'].find((allowed) => allowed.toLowerCase() === requested?.toLowerCase());
  if (!dimension) throw new AuraHandledError(`Unknown heatmap dimension "${requested}": use Role, Practice or Skill.`);
  const scenarioId = idParam(params, 'scenarioId');
  if (!scenarioId) throw new AuraHandledError('Choose a scenario to compare with the forecast.');
  const run = currentRun(org);
  const [scenario] = org.store.query(
    `SELECT ${SCENARIO_FIELDS} FROM Capacity_Scenario__c WHERE Id = '${scenarioId}' LIMIT 1`
  );
  if (!scenario) {
    throw new AuraHandledError(
      `Scenario ${scenarioId} (Capacity_Scenario__c) does not exist or is not shared with you.`
    );
  }
  const result = {
    scenario: scenarioOption(scenario, text(run?.Id)),
    dimension,
    needsRecompute: false,
    truncated: false,
    weeks: [] as string[],
    rows: [] as HeatmapRow[]
  };
  if (!result.scenario.current || !run) {
    result.needsRecompute = true;
    return result;
  }
  // The same weeks as getHeatmap.
  const heatmap = getHeatmap(org, { ...params, dimension }) as { weeks: string[] };
  result.weeks = heatmap.weeks;
  const filterParam = { Role: 'roles', Practice: 'practices', Skill: 'skills' }[dimension]!;
  const names = [
    ...new Set(
      stringListParam(params, filterParam)
        .map((name) => name.trim())
        .filter(Boolean)
    )
  ];
  const filterField = dimension === 'Skill' ? 'Skill__c' : 'Name__c';
  const nameFilter = names.length ? ` AND ${filterField} IN (${names.map(soqlString).join(', ')})` : '';
  const fields = Object.entries(LAYER_FIELDS).filter(([layer]) => layer !== 'p50');
  const cells = org.store.query(
    `SELECT Name__c, Skill__c, Week_Start__c, ${fields.map(([, field]) => field).join(', ')} FROM Scenario_Result__c ` +
      `WHERE Scenario__c = '${scenarioId}' AND Dimension__c = ${soqlString(dimension)} ` +
      `AND Week_Start__c >= ${result.weeks[0]} AND Week_Start__c <= ${result.weeks[result.weeks.length - 1]}${nameFilter} ` +
      `ORDER BY Name__c, Week_Start__c LIMIT ${heatmapLimits.maxCells + 1}`
  );
  result.truncated = cells.length > heatmapLimits.maxCells;
  let row: HeatmapRow | undefined;
  for (const cell of cells.slice(0, heatmapLimits.maxCells)) {
    if (!row || row.name !== cell.Name__c) {
      row = emptyHeatmapRow(String(cell.Name__c), result.weeks.length);
      result.rows.push(row);
    }
    const column = result.weeks.indexOf(date(cell.Week_Start__c) ?? '');
    if (column < 0) continue;
    for (const [layer, field] of fields) row[layer as keyof typeof LAYER_FIELDS][column] = num(cell[field]);
  }
  return result;
};

// --- CapacityHeatmapController.getCellDetail ---

const getCellDetail: ApexMethod = (org, params) => {
  const requested = stringParam(params, 'dimension');
  const dimension = ['Role', 'Practice', 'Skill'].find((allowed) => allowed.toLowerCase() === requested?.toLowerCase());
  if (!dimension) throw new AuraHandledError(`Unknown heatmap dimension "${requested}": use Role, Practice or Skill.`);
  const name = stringParam(params, 'name');
  const skillParam = stringParam(params, 'skill');
  if (!name?.trim()) {
    throw new AuraHandledError(`Choose a heatmap row: the name of its ${dimension.toLowerCase()} is missing.`);
  }
  if (dimension === 'Skill' && !skillParam?.trim()) {
    throw new AuraHandledError(`Choose a heatmap row: the skill of "${name}" is missing.`);
  }
  const week = date(stringParam(params, 'weekStart'));
  if (!week || !/^\d{4}-\d{2}-\d{2}$/.test(week) || Number.isNaN(Date.parse(week))) {
    if (params.weekStart === undefined || params.weekStart === null) {
      throw new AuraHandledError('Choose a heatmap cell: its week is missing.');
    }
    throw invalid('weekStart', 'Date');
  }
  const monday = mondayOf(week);
  const sunday = addDays(monday, 6);
  const rowName = name.trim();
  const skill = dimension === 'Skill' ? skillParam!.trim() : null;
  const value = dimension === 'Practice' && rowName === NO_PRACTICE ? null : rowName;
  const equals = (field: string) => `${field} = ${value === null ? 'null' : soqlString(value)}`;
  const rowFilter =
    dimension === 'Practice'
      ? equals('Engagement__r.Practice__c')
      : dimension === 'Skill'
        ? `${equals('Role__c')} AND Skill__c = ${soqlString(skill!)}`
        : equals('Role__c');
  const limit = heatmapLimits.maxDetailLines;
  const lineRows = org.store.query(
    'SELECT Id, Role__c, Skill__c, Total_Hours__c, Probability__c, Start_Date__c, End_Date__c, Status__c, ' +
      'Engagement__c, Engagement__r.Name, Engagement__r.Status__c, Engagement__r.Opportunity__c, ' +
      `Engagement__r.Opportunity__r.Name, Engagement__r.Opportunity__r.StageName FROM Resource_Demand__c WHERE ${rowFilter} ` +
      `AND Status__c != 'Released' AND Engagement__r.Status__c IN (${DEMAND_STATUSES.map(soqlString).join(', ')}) ` +
      `AND Start_Date__c <= ${sunday} AND End_Date__c >= ${monday} ORDER BY Total_Hours__c DESC NULLS LAST, Id LIMIT ${limit + 1}`
  );
  const lines = [];
  for (const line of lineRows.slice(0, limit)) {
    const engagement = parent(line, 'Engagement__r');
    const deal = parent(engagement, 'Opportunity__r');
    const hours = spread(num(line.Total_Hours__c), date(line.Start_Date__c), date(line.End_Date__c)).get(monday) ?? 0;
    if (!(hours > 0)) continue;
    const confirmed = engagement.Status__c !== 'Pipeline';
    lines.push({
      demandId: line.Id,
      role: text(line.Role__c),
      skill: text(line.Skill__c),
      hours: round2(hours),
      totalHours: num(line.Total_Hours__c),
      probability: confirmed ? 100 : num(line.Probability__c),
      confirmed,
      startDate: date(line.Start_Date__c),
      endDate: date(line.End_Date__c),
      engagementId: text(line.Engagement__c),
      engagementName: text(engagement.Name),
      engagementStatus: text(engagement.Status__c),
      opportunityId: text(engagement.Opportunity__c),
      opportunityName: text(deal.Name),
      stage: text(deal.StageName)
    });
  }
  // The local org has one admin user, who can read bookings.
  const personFilter =
    dimension === 'Practice' ? equals('Resource__r.Practice__c') : equals('Resource__r.Primary_Role__c');
  const bookingRows = org.store.query(
    'SELECT Id, Resource__c, Resource__r.Name, Resource__r.Skills__c, Hours_Per_Week__c, Booking_Type__c, Start_Date__c, ' +
      `End_Date__c, Engagement__c, Engagement__r.Name, Demand__c FROM Assignment__c WHERE ${personFilter} ` +
      `AND Start_Date__c <= ${sunday} AND End_Date__c >= ${monday} ORDER BY Hours_Per_Week__c DESC NULLS LAST, Id LIMIT ${limit + 1}`
  );
  const assignments = bookingRows
    .slice(0, limit)
    .filter((booking) => !skill || (text(parent(booking, 'Resource__r').Skills__c) ?? '').split(';').includes(skill))
    .map((booking) => ({
      assignmentId: booking.Id,
      resourceId: text(booking.Resource__c),
      resourceName: text(parent(booking, 'Resource__r').Name),
      hoursPerWeek: num(booking.Hours_Per_Week__c),
      bookingType: text(booking.Booking_Type__c),
      startDate: date(booking.Start_Date__c),
      endDate: date(booking.End_Date__c),
      engagementId: text(booking.Engagement__c),
      engagementName: text(parent(booking, 'Engagement__r').Name)
    }));
  return {
    dimension,
    name: rowName,
    skill,
    weekStart: monday,
    lines,
    linesTruncated: lineRows.length > limit,
    assignments,
    assignmentsTruncated: bookingRows.length > limit,
    assignmentsVisible: true
  };
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
    'SELECT Id, Name, IsClosed, IsWon, StageName, Probability, HasOpportunityLineItem, Expected_Start__c, ' +
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
  // As in Apex: the table shows the weeks the answer checked, the lines moved as the service moved them.
  const demandShiftDays =
    answer && answer.Start_Basis__c === 'Expected_Start_Shifted' ? Math.trunc(num(answer.Start_Shift_Days__c) ?? 0) : 0;

  const hoursByRole = new Map<string, Map<string, number>>();
  const weightedByRole = new Map<string, Map<string, number>>();
  const mondays: string[] = [];
  for (const line of lines) {
    const role = String(line.Role__c);
    if (!hoursByRole.has(role)) [hoursByRole, weightedByRole].forEach((byRole) => byRole.set(role, new Map()));
    const moved = (value: unknown) => {
      const day = date(value);
      return day && demandShiftDays ? addDays(day, demandShiftDays) : day;
    };
    const start = moved(line.Start_Date__c);
    const end = moved(line.End_Date__c);
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
        ? deal.IsWon
          ? 'closed'
          : 'lost'
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
    stageName: text(deal.StageName),
    probability: num(deal.Probability),
    forecastAgeHours:
      typeof run?.Finished_At__c === 'string'
        ? Math.floor((Date.now() - Date.parse(run.Finished_At__c)) / 360_000) / 10
        : null,
    probabilitySource: probabilitySource(org),
    demandShiftDays,
    weekTotals: weeks.map((weekStart, index) => ({
      weekStart,
      hours: round2(roles.reduce((sum, role) => sum + role.weeks[index]!.hours, 0)),
      weightedHours: round2(roles.reduce((sum, role) => sum + role.weeks[index]!.weightedHours, 0))
    })),
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
      "(SELECT Role__c, Total_Hours__c, Start_Date__c, End_Date__c FROM Demands__r WHERE Status__c != 'Released' LIMIT 2000), " +
      '(SELECT Resource__r.Name, Resource__r.Primary_Role__c, Demand__r.Role__c, Hours_Per_Week__c, Start_Date__c, End_Date__c ' +
      'FROM Assignments__r LIMIT 2000) ' +
      `FROM Engagement__c WHERE Id = '${engagementId}' LIMIT 1`
  )[0];
  if (!engagement) return null;
  const activeSince = datetime(engagement.Entered_Active__c);
  const items = children(engagement, 'Checklist_Items__r');
  const done = items.filter((item) => item.Done__c === true).length;
  const isAnswered = (item: Row) => typeof item.Answer__c === 'string' && item.Answer__c.trim() !== '';
  const weekly = weeklyCoverage(children(engagement, 'Demands__r'), children(engagement, 'Assignments__r'));

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
        done: item.Done__c === true,
        answered: isAnswered(item)
      })),
      done,
      answered: items.filter(isAnswered).length,
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
        return {
          ...row,
          demandHours,
          assignedHours,
          gapHours,
          people: row.people.sort(),
          weeklyDemand: weekly.values(weekly.demand, row.role),
          weeklyAssigned: weekly.values(weekly.assigned, row.role)
        };
      }),
    weeks: weekly.weeks,
    nextGap: weekly.nextGap(todayIso())
  };
};

/** HandoffController.WeeklyCoverage: demand and assigned hours by role and week, and the next gap from today. */
function weeklyCoverage(demands: Row[], assignments: Row[]) {
  const MAX_WEEKS = 52;
  const demand = new Map<string, number>();
  const assigned = new Map<string, number>();
  const firstDemandDay = new Map<string, string>();
  const roles = new Set<string>();
  const key = (role: string, monday: string) => `${role}|${monday}`;
  const add = (hours: Map<string, number>, at: string, value: number) => hours.set(at, (hours.get(at) ?? 0) + value);
  let first: string | undefined;
  let last: string | undefined;
  const touch = (monday: string) => {
    if (!first || monday < first) first = monday;
    if (!last || monday > last) last = monday;
  };
  for (const line of demands) {
    const role = String(line.Role__c);
    const start = date(line.Start_Date__c);
    for (const [monday, hours] of spread(num(line.Total_Hours__c), start, date(line.End_Date__c))) {
      add(demand, key(role, monday), hours);
      const day = start && start > monday ? start : monday;
      const known = firstDemandDay.get(key(role, monday));
      if (!known || day < known) firstDemandDay.set(key(role, monday), day);
      touch(monday);
    }
    roles.add(role);
  }
  for (const assignment of assignments) {
    const role =
      text(parent(assignment, 'Demand__r').Role__c) ??
      text(parent(assignment, 'Resource__r').Primary_Role__c) ??
      'No role';
    const start = date(assignment.Start_Date__c);
    const end = date(assignment.End_Date__c);
    if (!start || !end) continue;
    const perWeek = num(assignment.Hours_Per_Week__c) ?? 0;
    for (let monday = mondayOf(start); monday <= end; monday = addDays(monday, 7)) {
      const friday = addDays(monday, 4);
      const days = workingDays(start > monday ? start : monday, end < friday ? end : friday);
      if (days > 0) {
        add(assigned, key(role, monday), (perWeek * days) / 5);
        touch(monday);
      }
    }
    roles.add(role);
  }
  const lastShown = first ? addDays(first, 7 * (MAX_WEEKS - 1)) : undefined;
  const weeks = weeksBetween(first, last && lastShown && last < lastShown ? last : lastShown);
  return {
    weeks,
    demand,
    assigned,
    values: (hours: Map<string, number>, role: string) =>
      weeks.map((monday) => round2(hours.get(key(role, monday)) ?? 0)),
    nextGap(today: string) {
      const thisWeek = mondayOf(today);
      const mondays = [...new Set([...demand.keys()].map((at) => at.slice(at.lastIndexOf('|') + 1)))]
        .filter((monday) => monday >= thisWeek)
        .sort();
      for (const monday of mondays) {
        for (const role of [...roles].sort()) {
          const gap = (demand.get(key(role, monday)) ?? 0) - (assigned.get(key(role, monday)) ?? 0);
          if (gap > 0.01) {
            const day = firstDemandDay.get(key(role, monday))!;
            return { gapDate: day < today ? today : day, role, hours: round2(gap) };
          }
        }
      }
      return null;
    }
  };
}

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

// --- ForecastAccuracyController.getAccuracy ---

const reliabilityOf = (row: Row) => {
  const entered = (row.entered as Row | null) ?? {};
  const calibrated = (row.calibrated as Row | null) ?? {};
  return {
    bucket: text(row.bucket),
    enteredCount: num(entered.count) ?? 0,
    enteredPredicted: num(entered.predicted),
    enteredObserved: num(entered.observed),
    calibratedCount: num(calibrated.count) ?? 0,
    calibratedPredicted: num(calibrated.predicted),
    calibratedObserved: num(calibrated.observed)
  };
};

/** The Apex reads the latest completed run's Summary__c with JSON.deserializeUntyped and refuses one that is not the service's, naming the run by its key. */
function calibrationOf(run: Row | undefined) {
  const summary = text(run?.Summary__c);
  if (!summary) return null;
  const refused = () =>
    new AuraHandledError(
      `Capacity_Forecast_Run__c ${String(run!.Run_Key__c)}: Summary__c is not the summary the capacity service writes`
    );
  let parsed: Row;
  try {
    parsed = JSON.parse(summary) as Row;
  } catch {
    throw refused();
  }
  const calibration = parsed.calibration as Row | null | undefined;
  if (!calibration) return null;
  const reliability = calibration.reliability ?? [];
  if (!Array.isArray(reliability)) throw refused();
  const brier = (calibration.brier as Row | null) ?? {};
  return {
    probabilitySource: text(calibration.probabilitySource),
    deals: num(calibration.deals),
    brierEntered: num(brier.entered),
    brierCalibrated: num(brier.calibrated),
    reliability: (reliability as Row[]).map(reliabilityOf)
  };
}

const getAccuracy: ApexMethod = (org) => {
  // Apex orders Role__c NULLS FIRST, then by lead; the store sorts nulls first ascending, as SOQL does.
  const rows = org.store.query(
    'SELECT Role__c, Lead_Weeks__c, Weeks_Compared__c, First_Week__c, Last_Week__c, Actual_Hours__c, ' +
      'Weighted_Bias_Hours__c, Weighted_MAE_Hours__c, Weighted_Error_Pct__c, Confirmed_Bias_Hours__c, ' +
      'Confirmed_MAE_Hours__c, Confirmed_Error_Pct__c FROM Forecast_Accuracy__c ORDER BY Role__c NULLS FIRST, Lead_Weeks__c LIMIT 2000'
  );
  const weeks = org.store
    .query('SELECT Week_Start__c FROM Forecast_Snapshot__c')
    .map((row) => date(row.Week_Start__c))
    .filter((week): week is string => week !== null)
    .sort();
  const firstSnapshotWeek = weeks[0] ?? null;
  const lastSnapshotWeek = weeks[weeks.length - 1] ?? null;
  const [run] = org.store.query(
    "SELECT Id, Run_Key__c, Summary__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC NULLS LAST LIMIT 1"
  );
  const roles: string[] = [];
  for (const row of rows) {
    const role = text(row.Role__c);
    if (role !== null && !roles.includes(role)) roles.push(role);
  }
  return {
    rows: rows.map((row) => ({
      role: text(row.Role__c),
      leadWeeks: num(row.Lead_Weeks__c),
      weeksCompared: num(row.Weeks_Compared__c),
      firstWeek: date(row.First_Week__c),
      lastWeek: date(row.Last_Week__c),
      actualHours: num(row.Actual_Hours__c),
      weightedBias: num(row.Weighted_Bias_Hours__c),
      weightedMae: num(row.Weighted_MAE_Hours__c),
      weightedErrorPct: num(row.Weighted_Error_Pct__c),
      confirmedBias: num(row.Confirmed_Bias_Hours__c),
      confirmedMae: num(row.Confirmed_MAE_Hours__c),
      confirmedErrorPct: num(row.Confirmed_Error_Pct__c)
    })),
    roles,
    weeksOfRuns: firstSnapshotWeek && lastSnapshotWeek ? weeksBetween(firstSnapshotWeek, lastSnapshotWeek).length : 0,
    firstSnapshotWeek,
    lastSnapshotWeek,
    minimumWeeksOfRuns: 2,
    calibration: calibrationOf(run)
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

// --- HandoffAlertsController.getAlerts / resolveAlert ---

const ALERT_FIELDS =
  'Id, Name, Status__c, Kind__c, First_Seen__c, Last_Seen__c, Occurrences__c, Notified_At__c, Detail__c, ' +
  'Subject_Record_Id__c';
/** HandoffAlerts.labelOf. */
const ALERT_KIND_LABELS: Record<string, string> = {
  RUN_FAILED: 'a capacity forecast run failed',
  FORECAST_STALE: 'the capacity forecast is out of date',
  ENGAGEMENTS_BELOW_BASELINE: 'fewer engagements than expected last week',
  LIFECYCLE_FAILED: 'the handoff automation failed for a deal',
  STAGE_RULE_UNKNOWN: 'a stage rule names a stage the org does not have'
};

function alertOf(row: Row) {
  const kind = text(row.Kind__c);
  const detail = text(row.Detail__c);
  return {
    id: row.Id,
    name: row.Name,
    kind,
    kindLabel: kind ? (ALERT_KIND_LABELS[kind] ?? kind) : null,
    status: row.Status__c,
    since: datetime(row.First_Seen__c),
    lastSeen: datetime(row.Last_Seen__c),
    occurrences: num(row.Occurrences__c),
    notifiedAt: datetime(row.Notified_At__c),
    detail: detail && detail.length > MAX_ERROR_LENGTH ? `${detail.slice(0, MAX_ERROR_LENGTH - 3)}...` : detail,
    subjectRecordId: text(row.Subject_Record_Id__c)
  };
}

const getAlerts: ApexMethod = (org) => {
  const alerts = org.store
    .query(
      `SELECT ${ALERT_FIELDS} FROM Handoff_Alert__c WHERE Status__c = 'Open' ORDER BY First_Seen__c DESC, Name DESC LIMIT 200`
    )
    .map(alertOf);
  let unknownStages: string[] = [];
  let rulesError: string | null = null;
  try {
    unknownStages = compileRules(org.store.schema, readRuleRecords(org.store)).unknownStages.map(
      (stage) => stage.message
    );
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    rulesError = error.message;
  }
  return { alerts, canResolve: true, unknownStages, rulesError };
};

const resolveAlert: ApexMethod = (org, params) => {
  const alertId = idParam(params, 'alertId');
  const row = alertId
    ? org.store.query(`SELECT ${ALERT_FIELDS} FROM Handoff_Alert__c WHERE Id = '${alertId}' LIMIT 1`)[0]
    : undefined;
  if (!row) throw new AuraHandledError(`Handoff_Alert__c ${String(alertId)} does not exist or is not visible to you.`);
  if (row.Status__c !== 'Open') {
    throw new AuraHandledError(`Handoff_Alert__c ${String(row.Name)} is already ${String(row.Status__c)} (Status__c).`);
  }
  const [result] = org.store.write([
    {
      kind: 'update',
      object: 'Handoff_Alert__c',
      id: alertId!,
      values: { Status__c: 'Resolved', Resolved_At__c: new Date().toISOString(), Resolved_By__c: org.userId }
    }
  ]);
  if (!result?.success) {
    throw new AuraHandledError(
      `Handoff_Alert__c ${String(row.Name)} could not be resolved: ${result?.errors[0]?.message ?? 'unknown error'}`
    );
  }
  return { ...alertOf(row), status: 'Resolved' };
};

// --- BillingMilestonesController.getBilling and markComplete ---

const getBilling: ApexMethod = (org, params) => {
  const engagementId = idParam(params, 'engagementId');
  if (!engagementId) return null;
  const engagement = org.store.query(
    'SELECT Id, Billing_Type__c, Contract_Value__c, Invoiced_To_Date__c, Paid_To_Date__c, ' +
      '(SELECT Id, Name, Milestone_Key__c, Phase__r.Name, Amount__c, Planned_Date__c, Status__c, Completed_On__c, ' +
      'Invoice_Number__c, Invoice_Status__c, Invoiced_Amount__c, Paid_Date__c FROM Milestones__r ORDER BY Milestone_Key__c) ' +
      `FROM Engagement__c WHERE Id = '${engagementId}' LIMIT 1`
  )[0];
  if (!engagement) return null;
  const milestones = children(engagement, 'Milestones__r').map((row) => ({
    id: row.Id,
    key: text(row.Milestone_Key__c),
    name: text(row.Name),
    phase: text(parent(row, 'Phase__r').Name),
    amount: num(row.Amount__c),
    plannedDate: date(row.Planned_Date__c),
    status: text(row.Status__c),
    completedOn: date(row.Completed_On__c),
    invoiceNumber: text(row.Invoice_Number__c),
    invoiceStatus: text(row.Invoice_Status__c),
    invoicedAmount: num(row.Invoiced_Amount__c),
    paidDate: date(row.Paid_Date__c),
    canComplete: row.Status__c === 'Planned'
  }));
  return {
    engagementId: engagement.Id,
    billingType: text(engagement.Billing_Type__c),
    contractValue: num(engagement.Contract_Value__c),
    invoicedToDate: num(engagement.Invoiced_To_Date__c) ?? 0,
    paidToDate: num(engagement.Paid_To_Date__c) ?? 0,
    plannedTotal: milestones
      .filter((milestone) => milestone.status !== 'Cancelled')
      .reduce((sum, milestone) => sum + (milestone.amount ?? 0), 0),
    milestones
  };
};

const markComplete: ApexMethod = (org, params) => {
  const ids = stringListParam(params, 'milestoneIds');
  if (ids.length === 0) throw new AuraHandledError('Choose at least one billing milestone to mark complete.');
  for (const id of ids) idParam({ id }, 'id');
  const planned = org.store
    .query(`SELECT Id, Status__c FROM Billing_Milestone__c WHERE Id IN (${ids.map(soqlString).join(', ')})`)
    .filter((row) => row.Status__c === 'Planned');
  if (planned.length === 0) return 0;
  const today = org.store.now().toISOString().slice(0, 10);
  // All or none, as Database.update(records, true, AccessLevel.USER_MODE).
  const results = org.store.write(
    planned.map((row) => ({
      kind: 'update' as const,
      object: 'Billing_Milestone__c',
      id: String(row.Id),
      values: { Status__c: 'Complete', Completed_On__c: today }
    })),
    { allOrNone: true }
  );
  const failure = results.find(
    (result) => !result.success && result.errors[0]?.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK'
  );
  if (failure) throw new AuraHandledError(failure.errors[0]?.message ?? 'The milestones were not saved.');
  return planned.length;
};

/** ForecastSlot.probabilitySource(): Handoff_Setting__mdt.Default Probability_Source__c, 'entered' unless calibrated. */
function probabilitySource(org: LocalOrg): 'entered' | 'calibrated' {
  const [setting] = org.store.query(
    "SELECT Probability_Source__c FROM Handoff_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1"
  );
  return text(setting?.Probability_Source__c)?.toLowerCase() === 'calibrated' ? 'calibrated' : 'entered';
}

// --- StaffingRecommendationController.getRecommendations and book ---

/** Hours per week a booking needs to hold a line's total hours over its working days (the Apex newBooking). */
function bookingHoursPerWeek(line: Row): number | null {
  const days = workingDays(date(line.Start_Date__c), date(line.End_Date__c));
  const hours = num(line.Total_Hours__c);
  // One person's full week at most (StaffingRecommendationController.personWeek): the rest of the line stays open.
  return days > 0 && hours !== null ? round2(Math.min((hours * 5) / days, 40)) : null;
}

interface CandidateWeek {
  week: string;
  need: number | null;
  free: number | null;
}

/** Weekly_Availability__c as the service writes it; anything else leaves the weeks out, as the Apex weeksOf does. */
function weeksOf(weekly: unknown): CandidateWeek[] {
  if (typeof weekly !== 'string' || weekly.trim() === '') return [];
  try {
    const parsed = JSON.parse(weekly) as unknown;
    if (!Array.isArray(parsed)) return [];
    const weeks = (parsed as Row[]).map((entry) => ({
      week: text(entry.week),
      need: num(entry.need),
      free: num(entry.free)
    }));
    return weeks.every((week) => week.week !== null && /^\d{4}-\d{2}-\d{2}$/.test(week.week))
      ? (weeks as CandidateWeek[])
      : [];
  } catch {
    return [];
  }
}

const getRecommendations: ApexMethod = (org, params) => {
  const recordId = idParam(params, 'recordId');
  const result = {
    canBook: true, // the local org's one user is an admin
    forecastComputed: false,
    forecastFinishedAt: null as string | null,
    stale: false,
    engagementStatus: null as string | null,
    demands: [] as unknown[]
  };
  if (!recordId) return result;
  const run = currentRun(org);
  result.forecastComputed = run !== undefined;
  result.forecastFinishedAt = datetime(run?.Finished_At__c);
  result.stale = isStale(org, run);
  const slot = run ? soqlString(String(run.Slot__c)) : 'null';
  const lines = org.store.query(
    'SELECT Id, Name, Role__c, Skill__c, Start_Date__c, End_Date__c, Total_Hours__c, Status__c, Engagement__c, ' +
      'Engagement__r.Name, Engagement__r.Status__c, ' +
      '(SELECT Id, Resource__c, Booking_Type__c FROM Assignments__r LIMIT 200), ' +
      '(SELECT Resource__c, Resource__r.Name, Rank__c, Score__c, Availability__c, Skill_Match__c, Weekly_Availability__c ' +
      `FROM Staffing_Recommendations__r WHERE Slot__c = ${slot} ORDER BY Rank__c LIMIT 20) ` +
      `FROM Resource_Demand__c WHERE (Engagement__c = '${recordId}' OR Id = '${recordId}') AND Status__c = 'Open' ` +
      'ORDER BY Start_Date__c, Name LIMIT 200'
  );
  for (const line of lines) {
    const engagement = parent(line, 'Engagement__r');
    result.engagementStatus = text(engagement.Status__c);
    const booked = new Map(
      children(line, 'Assignments__r').map((assignment) => [
        String(assignment.Resource__c),
        text(assignment.Booking_Type__c)
      ])
    );
    result.demands.push({
      demandId: line.Id,
      name: text(line.Name),
      engagementName: text(engagement.Name),
      role: text(line.Role__c),
      skill: text(line.Skill__c),
      startDate: date(line.Start_Date__c),
      endDate: date(line.End_Date__c),
      totalHours: num(line.Total_Hours__c),
      hoursPerWeek: bookingHoursPerWeek(line),
      candidates: run
        ? children(line, 'Staffing_Recommendations__r').map((recommendation) => ({
            resourceId: recommendation.Resource__c,
            resourceName: text(parent(recommendation, 'Resource__r').Name),
            rank: num(recommendation.Rank__c),
            score: num(recommendation.Score__c),
            availability: num(recommendation.Availability__c),
            skillMatch: recommendation.Skill_Match__c === true,
            bookedAs: booked.get(String(recommendation.Resource__c)) ?? null,
            weeks: weeksOf(recommendation.Weekly_Availability__c)
          }))
        : []
    });
  }
  return result;
};

const book: ApexMethod = (org, params) => {
  const demandId = idParam(params, 'demandId');
  const resourceId = idParam(params, 'resourceId');
  if (!demandId || !org.store.get('Resource_Demand__c', demandId)) {
    throw new AuraHandledError('Choose a demand line to book.');
  }
  if (!resourceId || !org.store.get('Resource__c', resourceId)) throw new AuraHandledError('Choose a person to book.');
  const line = org.store.query(
    'SELECT Id, Name, Engagement__c, Role__c, Start_Date__c, End_Date__c, Total_Hours__c, Status__c, ' +
      '(SELECT Id, Hours_Per_Week__c, Start_Date__c, End_Date__c, Booking_Type__c FROM Assignments__r ' +
      `WHERE Resource__c = '${resourceId}' LIMIT 1) FROM Resource_Demand__c WHERE Id = '${demandId}' LIMIT 1`
  )[0]!;
  const describe = (assignment: Row, id: unknown, created: boolean) => ({
    assignmentId: id,
    created,
    bookingType: text(assignment.Booking_Type__c),
    hoursPerWeek: num(assignment.Hours_Per_Week__c),
    startDate: date(assignment.Start_Date__c),
    endDate: date(assignment.End_Date__c),
    demandId: line.Id,
    demandName: text(line.Name)
  });
  // The same person on the same line again (a double click, a second tab) returns the booking that exists.
  const [existing] = children(line, 'Assignments__r');
  if (existing) return describe(existing, existing.Id, false);
  const record = `Resource_Demand__c ${String(line.Name)} (${String(line.Id)})`;
  if (line.Status__c !== 'Open') {
    throw new AuraHandledError(`${record}: Status__c is ${String(line.Status__c)}; only open demand is booked.`);
  }
  const hoursPerWeek = bookingHoursPerWeek(line);
  if (hoursPerWeek === null) {
    throw new AuraHandledError(`${record}: Start_Date__c to End_Date__c has no working day to book.`);
  }
  const values: Row = {
    Engagement__c: line.Engagement__c,
    Demand__c: line.Id,
    Resource__c: resourceId,
    Booking_Type__c: 'Soft',
    Start_Date__c: date(line.Start_Date__c),
    End_Date__c: date(line.End_Date__c),
    Hours_Per_Week__c: hoursPerWeek
  };
  const [result] = org.store.write([{ kind: 'insert', object: 'Assignment__c', values }]);
  if (!result?.success) {
    const reasons = (result?.errors ?? [])
      .flatMap((error) => error.all())
      .map((error) => `${error.fields.length ? `${error.fields.join(', ')}: ` : ''}${error.message}`);
    throw new AuraHandledError(`The booking was not saved: Assignment__c for ${record}: ${reasons.join('; ')}`);
  }
  return describe(values, result.id, true);
};

// --- IntegrationOutboxController.getMessages and replay (through IntegrationOutbox.replay) ---

const OUTBOX_MAX_ROWS = 200;
const OUTBOX_MAX_ERROR_LENGTH = 1000;
const OUTBOX_REPLAYABLE = ['Dead Letter'];

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
        `Integration_Message__c ${String(row.Name)}: Status__c is ${String(row.Status__c)}; only Dead Letter messages are replayed (the consumer still retries Failed ones)`
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
  ['CapacityHeatmapController.getCellDetail', getCellDetail],
  ['CapacityHeatmapController.getScenarios', getScenarios],
  ['CapacityHeatmapController.getScenarioHeatmap', getScenarioHeatmap],
  ['DeliveryOutlookController.getOutlook', getOutlook],
  ['HandoffController.getHandoff', getHandoff],
  ['HandoffController.updateChecklistItem', updateChecklistItem],
  ['ForecastHealthController.getHealth', getHealth],
  ['EngagementSummaryController.getSummary', getSummary],
  ['DealHandoffController.getQuestions', handoffTwins.getQuestions],
  ['DealHandoffController.saveAnswer', handoffTwins.saveAnswer],
  ['ClientHierarchyController.getHierarchy', handoffTwins.getHierarchy],
  ['ForecastAccuracyController.getAccuracy', getAccuracy],
  ['HandoffAlertsController.getAlerts', getAlerts],
  ['HandoffAlertsController.resolveAlert', resolveAlert],
  ['BillingMilestonesController.getBilling', getBilling],
  ['BillingMilestonesController.markComplete', markComplete],
  ...SCENARIO_METHODS,
  ['StaffingRecommendationController.getRecommendations', getRecommendations],
  ['StaffingRecommendationController.book', book],
  ['IntegrationOutboxController.getMessages', getMessages],
  ['IntegrationOutboxController.replay', replayMessages]
]);
