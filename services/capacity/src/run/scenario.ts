import { randomUUID } from 'node:crypto';
import { forecast } from '../engine/forecast';
import { dayNumber, isoDate } from '../engine/calendar';
import { applyScenario, ScenarioInputError, type ScenarioChange, type ScenarioTemplate } from '../engine/scenario';
import type { StaffingAnswer } from '../engine/types';
import type { SalesforceClient } from '../salesforce/client';
import { errorCodeOf, SalesforceError } from '../salesforce/errors';
import { picklistValues, queryAll } from '../salesforce/reader';
import { deleteRows, upsertRows } from '../salesforce/writer';
import { historyFrom, readCalibration, type CalibrationRunOptions } from './calibration';
import { historyQuery, inputQueries, toEngineInput } from './inputs';
import { RunLease, type LeaseOptions } from './lease';
import { diffRows, joinWhole, outputRows, type OutputRow, type Slot } from './rows';

const SCENARIO = 'Capacity_Scenario__c';
const RESULT = 'Scenario_Result__c';
/** A Salesforce record Id: 15 or 18 letters and digits. Checked before an Id reaches SOQL or a URL. */
export const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export interface ScenarioOptions extends CalibrationRunOptions {
  scenarioId: string;
  /** The request's id (a UUID): this computation's name on the scenario lease. */
  requestId?: string;
  /** Monte Carlo trials (default: the trials of the run the scenario is based on). */
  trials?: number;
  bulk?: { threshold?: number; pollIntervalMs?: number; pollTimeoutMs?: number; readThreshold?: number };
  lease?: LeaseOptions;
  onProgress?: (stage: string, detail?: string) => void;
  signal?: AbortSignal;
}

export interface ScenarioOutcome {
  scenarioId: string;
  status: 'Completed' | 'Failed';
  basedOnRun?: string;
  rowsWritten: number;
  rowsDeleted: number;
  apiCalls: number;
  durationMs: number;
  error?: { message: string; errorCode: string; recordKey?: string; field?: string };
}

/** The lease that keeps two computations of one scenario apart (another scenario, or a forecast run, goes on). */
export const scenarioLeaseKey = (scenarioId: string) => `scenario-${scenarioId.slice(0, 15)}`;

/**
 * Computes one saved scenario: reads its changes and the inputs of the latest completed forecast run (the run's as-of
 * date, horizon, trials and seed; the same input queries and probability source), applies the changes (engine
 * `applyScenario`), forecasts, and upserts a Scenario_Result__c per row and week with the same Row_Key__c as the
 * run's Capacity_Forecast__c rows, then marks the scenario Completed with Based_On_Run__c and Computed_At__c.
 * It holds the scenario's own lease (two processes never write one scenario's results at once) and never takes the
 * forecast lease nor writes a forecast object, so a scenario and a forecast run never block or overwrite each other:
 * a run that completes meanwhile leaves the scenario based on the run it read, and the heatmap asks for a recompute.
 * Bad input (a change that cannot apply) fails the scenario with an Error__c naming the change and its field.
 */
export async function runScenario(client: SalesforceClient, options: ScenarioOptions): Promise<ScenarioOutcome> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const outcome: ScenarioOutcome = {
    scenarioId: options.scenarioId,
    status: 'Failed',
    rowsWritten: 0,
    rowsDeleted: 0,
    apiCalls: 0,
    durationMs: 0
  };
  const base = `/services/data/v${client.version}`;
  if (!RECORD_ID.test(options.scenarioId)) {
    outcome.error = { message: `not a record Id: ${options.scenarioId}`, errorCode: 'INVALID_ID' };
    return outcome;
  }
  const id = options.scenarioId;
  const save = (fields: Record<string, unknown>) =>
    client.request({ method: 'PATCH', url: `${base}/sobjects/${SCENARIO}/${id}`, body: fields, idempotent: true });
  const lease = new RunLease(client, options.requestId ?? randomUUID(), {
    ...options.lease,
    key: scenarioLeaseKey(id)
  });
  const stopped = () => {
    if (options.signal?.aborted) throw new SalesforceError('the scenario was stopped', 'RUN_ABORTED');
  };
  try {
    await save({ Status__c: 'Running', Error__c: null });
    await lease.acquire((holder) => progress('lease', `waiting for scenario computation ${holder}`));
    stopped();

    progress('read', 'scenario and its changes');
    const header = await queryAll(client, {
      scenario: `SELECT Id, Name, Opportunity__c FROM ${SCENARIO} WHERE Id = '${id}'`,
      changes:
        'SELECT Id, Name, Type__c, Opportunity__c, New_Start__c, Shift_Days__c, Probability__c, Demand_Template__c, ' +
        `Units__c, Practice__c, Start_Date__c FROM Scenario_Change__c WHERE Scenario__c = '${id}' ORDER BY Name`,
      run:
        'SELECT Id, Run_Key__c, Slot__c, As_Of__c, Horizon_Weeks__c, Trials__c, Seed__c FROM Capacity_Forecast_Run__c ' +
        "WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC NULLS LAST LIMIT 1",
      templates:
        'SELECT DeveloperName, Product_Code__c, Role__c, Skill__c, Hours_Per_Unit__c, Duration_Weeks__c, ' +
        'Start_Offset_Weeks__c, Scale_Duration__c FROM Handoff_Demand_Template__mdt WHERE Active__c = true',
      stored: `SELECT Id, Result_Key__c, Scenario__c, Row_Key__c, Dimension__c, Name__c, Skill__c, Week_Start__c, Capacity_Hours__c, Confirmed_Hours__c, Tentative_Hours__c, Weighted_Hours__c, Exposure_Hours__c, P90_Hours__c, Shortage_Probability__c FROM ${RESULT} WHERE Scenario__c = '${id}'`
    });
    const scenario = header.scenario[0];
    if (!scenario)
      throw new SalesforceError(`${SCENARIO} ${id} not found (or not shared with the service)`, 'NOT_FOUND');
    const run = header.run[0];
    if (!run) {
      throw new SalesforceError(
        'no completed forecast run to compute the scenario against: run the forecast first',
        'NO_BASELINE'
      );
    }
    outcome.basedOnRun = String(run.Id);
    const slot = (run.Slot__c === 'B' ? 'B' : 'A') as Slot;
    const asOf = String(run.As_Of__c ?? isoDate(Math.floor(started / 86_400_000)));
    const horizonWeeks = Number(run.Horizon_Weeks__c ?? 26);
    const trials = options.trials ?? Number(run.Trials__c ?? 2000);
    const seed = Number(run.Seed__c ?? 1);

    progress('read', `inputs as of ${asOf} (run ${String(run.Run_Key__c)})`);
    const from = isoDate(dayNumber(asOf) - 7);
    const to = isoDate(dayNumber(asOf) + horizonWeeks * 7 + 7);
    const rows = await queryAll(
      client,
      { ...inputQueries(from, to), history: historyQuery(historyFrom(asOf, options.calibrationWindowMonths)) },
      { bulkAbove: options.bulk?.readThreshold, pollIntervalMs: options.bulk?.pollIntervalMs }
    );
    const roles = await picklistValues(client, 'Resource_Demand__c', 'Role__c');
    const calibration = await readCalibration(client, rows, asOf, options);
    const baseline = { ...toEngineInput(rows, roles, asOf, horizonWeeks), history: calibration.history };
    const input = applyScenario(baseline, header.changes.map(toChange), header.templates.map(toTemplate));
    stopped();

    progress('compute', `${header.changes.length} changes, ${trials} trials`);
    const result = await forecast(input, { trials, seed, ...calibration.engineOptions });
    const wanted = resultRows(outputRows(result, slot, outcome.basedOnRun, new Map(), new Map()).forecast, id);
    const diff = diffRows(wanted, header.stored, 'Result_Key__c');
    // Scenario__c is a master-detail that cannot be reparented: set on create only, never sent on an update.
    const existing = new Set(header.stored.map((row) => String(row.Result_Key__c)));
    const upserts = diff.upserts.map((row) => {
      if (!existing.has(row.key)) return row;
      const { Scenario__c: _parent, ...fields } = row.fields;
      return { key: row.key, fields };
    });

    await lease.renew();
    stopped();
    progress('write', `${RESULT}: ${upserts.length} changed of ${wanted.length}, ${diff.deletes.length} stale`);
    const written = await upsertRows(client, RESULT, 'Result_Key__c', upserts, {
      bulkThreshold: options.bulk?.threshold,
      pollIntervalMs: options.bulk?.pollIntervalMs,
      pollTimeoutMs: options.bulk?.pollTimeoutMs
    });
    outcome.rowsWritten = written.written;
    outcome.rowsDeleted = await deleteRows(client, diff.deletes);

    const deal = scenario.Opportunity__c ? String(scenario.Opportunity__c) : undefined;
    const answer = deal
      ? result.staffing.find((candidate) => candidate.opportunityId.slice(0, 15) === deal.slice(0, 15))
      : undefined;
    await lease.renew();
    await save({
      Status__c: 'Completed',
      Computed_At__c: new Date().toISOString(),
      Based_On_Run__c: outcome.basedOnRun,
      Error__c: null,
      ...dealFields(answer)
    });
    outcome.status = 'Completed';
    outcome.durationMs = Date.now() - started;
    outcome.apiCalls = client.apiCalls + 1;
    await releaseQuietly(lease);
    progress('done', `${outcome.rowsWritten} results written in ${outcome.durationMs} ms`);
    return outcome;
  } catch (error) {
    await releaseQuietly(lease);
    const details = (error as { details?: { recordKey?: string } }).details ?? {};
    outcome.error =
      error instanceof ScenarioInputError
        ? { message: error.message, errorCode: error.errorCode, recordKey: error.change.id, field: error.field }
        : { message: (error as Error).message, errorCode: errorCodeOf(error), recordKey: details.recordKey };
    outcome.durationMs = Date.now() - started;
    outcome.apiCalls = client.apiCalls + 1;
    progress('failed', outcome.error.message);
    const cause = `${outcome.error.errorCode}: ${outcome.error.message}${outcome.error.recordKey && !outcome.error.field ? `\nrecord: ${outcome.error.recordKey}` : ''}`;
    try {
      await save({ Status__c: 'Failed', Error__c: cause.slice(0, 32_000), Computed_At__c: null });
    } catch (saveError) {
      outcome.error.message += ` (and the failure could not be recorded in Salesforce: ${(saveError as Error).message})`;
    }
    return outcome;
  }
}

/** Forecast rows as this scenario's results: the same Row_Key__c, keyed per scenario in Result_Key__c. */
export function resultRows(forecastRows: OutputRow[], scenarioId: string): OutputRow[] {
  return forecastRows.map((row) => {
    const f = row.fields;
    return {
      key: `${scenarioId}:${row.key}`,
      fields: {
        Scenario__c: scenarioId,
        Row_Key__c: row.key,
        Dimension__c: f.Dimension__c ?? null,
        Name__c: f.Name__c ?? null,
        Skill__c: f.Skill__c ?? null,
        Week_Start__c: f.Week_Start__c ?? null,
        Capacity_Hours__c: f.Capacity_Hours__c ?? null,
        Confirmed_Hours__c: f.Confirmed_Hours__c ?? null,
        Tentative_Hours__c: f.Tentative_Hours__c ?? null,
        Weighted_Hours__c: f.Weighted_Hours__c ?? null,
        Exposure_Hours__c: f.Exposure_Hours__c ?? null,
        P90_Hours__c: f.P90_Hours__c ?? null,
        Shortage_Probability__c: f.Shortage_Probability__c ?? null
      }
    };
  });
}

/** The scenario's answer for the deal a rep asked about (blank fields when the deal is not an open one). */
export function dealFields(answer: StaffingAnswer | undefined): Record<string, string | number | boolean | null> {
  const round2 = (value: number) => Math.round(value * 100) / 100;
  if (!answer) {
    return {
      Deal_Answer_State__c: null,
      Deal_Staffable__c: false,
      Deal_Planned_Start__c: null,
      Deal_Shortfall_Hours__c: null,
      Deal_Over_Committed_Hours__c: null,
      Deal_Earliest_Feasible_Start__c: null,
      Deal_Short_Roles__c: null,
      Deal_Shortfalls__c: null
    };
  }
  return {
    Deal_Answer_State__c: answer.state,
    Deal_Staffable__c: answer.staffable,
    Deal_Planned_Start__c: answer.plannedStart,
    Deal_Shortfall_Hours__c: round2(answer.shortfallHours),
    Deal_Over_Committed_Hours__c: round2(answer.overCommittedHours),
    Deal_Earliest_Feasible_Start__c: answer.earliestFeasibleStart,
    Deal_Short_Roles__c: joinWhole([
      ...new Set(answer.shortfalls.map((short) => (short.skill ? `${short.role} / ${short.skill}` : short.role)))
    ]),
    Deal_Shortfalls__c: JSON.stringify(answer.shortfalls).slice(0, 32_000)
  };
}

type Row = Record<string, unknown>;
const optionalText = (row: Row, field: string) =>
  row[field] === null || row[field] === undefined || row[field] === '' ? undefined : String(row[field]);
const optionalNumber = (row: Row, field: string) =>
  row[field] === null || row[field] === undefined || row[field] === '' ? undefined : Number(row[field]);

/** A Scenario_Change__c row as the engine reads it (Probability__c is a Percent: 0-100 over the API). */
export function toChange(row: Row): ScenarioChange {
  return {
    id: String(row.Id),
    name: optionalText(row, 'Name'),
    type: String(row.Type__c ?? ''),
    opportunityId: optionalText(row, 'Opportunity__c'),
    newStart: optionalText(row, 'New_Start__c'),
    shiftDays: optionalNumber(row, 'Shift_Days__c'),
    probability: optionalNumber(row, 'Probability__c'),
    demandTemplate: optionalText(row, 'Demand_Template__c'),
    units: optionalNumber(row, 'Units__c'),
    practice: optionalText(row, 'Practice__c'),
    startDate: optionalText(row, 'Start_Date__c')
  };
}

function toTemplate(row: Row): ScenarioTemplate {
  return {
    productCode: String(row.Product_Code__c ?? ''),
    role: String(row.Role__c ?? ''),
    skill: optionalText(row, 'Skill__c'),
    hoursPerUnit: optionalNumber(row, 'Hours_Per_Unit__c') ?? 0,
    durationWeeks: optionalNumber(row, 'Duration_Weeks__c') ?? 1,
    startOffsetWeeks: Math.trunc(optionalNumber(row, 'Start_Offset_Weeks__c') ?? 0),
    scaleDuration: row.Scale_Duration__c === true
  };
}

async function releaseQuietly(lease: RunLease): Promise<void> {
  try {
    await lease.release();
  } catch {
    // Expires after its TTL; the next computation of this scenario takes it over then.
  }
}
