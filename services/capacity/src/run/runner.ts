import { randomUUID } from 'node:crypto';
import { forecast } from '../engine/forecast';
import { isoDate, dayNumber } from '../engine/calendar';
import type { SalesforceClient } from '../salesforce/client';
import { errorCodeOf } from '../salesforce/errors';
import { picklistValues, queryAll } from '../salesforce/reader';
import { deleteRows, upsertRows } from '../salesforce/writer';
import { inputQueries, toEngineInput } from './inputs';
import { diffRows, outputRows, type Slot } from './rows';
import { summarise, type RunSummary } from './summary';

export type RunTrigger = 'Manual' | 'Schedule' | 'Lifecycle Event' | 'CLI' | 'Start';

export interface RunOptions {
  trigger: RunTrigger;
  runKey?: string;
  /** Forecast date (default today, UTC). */
  asOf?: string;
  horizonWeeks?: number;
  trials?: number;
  seed?: number;
  /** Resume a run whose Bulk 2.0 job timed out: poll that job instead of submitting a new one. */
  resumeBulkJobId?: string;
  /** Bulk API 2.0 above this many changed rows of one object (default 2,000); bulk polling limits. */
  bulk?: { threshold?: number; pollIntervalMs?: number; pollTimeoutMs?: number };
  onProgress?: (stage: string, detail?: string) => void;
}

export interface RunOutcome {
  runKey: string;
  status: 'Completed' | 'Failed';
  slot?: Slot;
  rowsRead: number;
  rowsWritten: number;
  rowsDeleted: number;
  apiCalls: number;
  /** API calls spent writing forecast rows, answers and recommendations (upserts, deletes, bulk). */
  writeCalls: number;
  retries: number;
  durationMs: number;
  counts?: { resources: number; demandLines: number; opportunities: number; assignments: number };
  summary?: RunSummary;
  error?: { message: string; errorCode: string; recordKey?: string; jobId?: string };
  bulkJobId?: string;
}

const RUN = 'Capacity_Forecast_Run__c';
const OUTPUTS = [
  { object: 'Capacity_Forecast__c', key: 'Row_Key__c', rows: 'forecast' },
  { object: 'Staffing_Answer__c', key: 'Answer_Key__c', rows: 'answers' },
  { object: 'Staffing_Recommendation__c', key: 'Recommendation_Key__c', rows: 'recommendations' }
] as const;

/**
 * One forecast run against one org: read every input, compute, publish into the slot the current forecast does not
 * use, then mark the run Completed so readers switch to it. A run that fails is recorded as Failed with its cause; a
 * run killed mid-way leaves the previous forecast current, and the next run marks it interrupted.
 */
export async function runForecast(client: SalesforceClient, options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const runKey = options.runKey ?? randomUUID();
  const progress = options.onProgress ?? (() => undefined);
  const asOf = options.asOf ?? isoDate(Math.floor(Date.now() / 86_400_000));
  const horizonWeeks = options.horizonWeeks ?? 26;
  const trials = options.trials ?? 2000;
  const seed = options.seed ?? 1;
  const outcome = failedOutcome(runKey);
  const base = `/services/data/v${client.version}`;
  const saveRun = (fields: Record<string, unknown>) =>
    client.request({
      method: 'PATCH',
      url: `${base}/sobjects/${RUN}/Run_Key__c/${runKey}`,
      body: fields,
      idempotent: true
    });

  let runSaved = false;
  try {
    progress('read', 'inputs');
    const from = isoDate(dayNumber(asOf) - 7);
    const to = isoDate(dayNumber(asOf) + horizonWeeks * 7 + 7);
    const rows = await queryAll(client, inputQueries(from, to));
    const roles = await picklistValues(client, 'Resource_Demand__c', 'Role__c');
    const slot: Slot = rows.lastCompleted[0]?.Slot__c === 'A' ? 'B' : 'A';
    outcome.slot = slot;

    // Runs left Queued or Running were interrupted (the service stopped): record that, and start this one.
    const runRecords = [
      ...rows.interrupted
        .filter((row) => row.Run_Key__c !== runKey)
        .map((row) => ({
          key: String(row.Run_Key__c),
          fields: {
            Status__c: 'Failed',
            Error__c: 'Interrupted: the service stopped before the run finished; the previous forecast stayed current.'
          } as Record<string, string | number | boolean | null>
        })),
      {
        key: runKey,
        fields: {
          Status__c: 'Running',
          Slot__c: slot,
          Trigger__c: options.trigger,
          As_Of__c: asOf,
          Horizon_Weeks__c: horizonWeeks,
          Trials__c: trials,
          Seed__c: seed,
          Started_At__c: new Date(started).toISOString()
        }
      }
    ];
    await upsertRows(client, RUN, 'Run_Key__c', runRecords);
    runSaved = true;

    progress('read', `slot ${slot} as stored`);
    const stored = await queryAll(client, {
      forecast: `SELECT Id, Row_Key__c, Dimension__c, Name__c, Week_Start__c, Capacity_Hours__c, Confirmed_Hours__c, Weighted_Hours__c, Exposure_Hours__c, Tentative_Hours__c, Skill__c, P10_Hours__c, P50_Hours__c, P90_Hours__c, Shortage_Probability__c, Slot__c FROM Capacity_Forecast__c WHERE Slot__c = '${slot}'`,
      answers: `SELECT Id, Answer_Key__c, Opportunity__c, Engagement__c, Staffable__c, Planned_Start__c, Earliest_Feasible_Start__c, Shortfall_Hours__c, Short_Roles__c, Short_Skills__c, Shortfalls__c, Slot__c FROM Staffing_Answer__c WHERE Slot__c = '${slot}'`,
      recommendations: `SELECT Id, Recommendation_Key__c, Demand__c, Engagement__c, Resource__c, Rank__c, Score__c, Availability__c, Skill_Match__c, Slot__c FROM Staffing_Recommendation__c WHERE Slot__c = '${slot}'`
    });
    outcome.rowsRead =
      Object.values(rows).reduce((sum, list) => sum + list.length, 0) +
      Object.values(stored).reduce((sum, list) => sum + list.length, 0);

    progress('compute', `${rows.resources.length} resources, ${rows.demand.length} demand lines, ${trials} trials`);
    const input = toEngineInput(rows, roles, asOf, horizonWeeks);
    const result = await forecast(input, { trials, seed });
    outcome.counts = result.counts;

    const runId = await runRecordId(client, runKey);
    const engagementsByOpportunity = new Map(
      rows.pipeline.map((row) => [String(row.Opportunity_Key__c), String(row.Id)])
    );
    const engagementsByDemand = new Map(rows.demand.map((row) => [String(row.Id), String(row.Engagement__c)]));
    const wanted = outputRows(result, slot, runId, engagementsByOpportunity, engagementsByDemand);

    const callsBeforeWrites = client.apiCalls;
    for (const output of OUTPUTS) {
      const diff = diffRows(wanted[output.rows], stored[output.rows], output.key);
      progress(
        'write',
        `${output.object}: ${diff.upserts.length} changed of ${wanted[output.rows].length}, ${diff.deletes.length} stale`
      );
      const written = await upsertRows(client, output.object, output.key, diff.upserts, {
        resumeJobId: output.rows === 'forecast' ? options.resumeBulkJobId : undefined,
        bulkThreshold: options.bulk?.threshold,
        pollIntervalMs: options.bulk?.pollIntervalMs,
        pollTimeoutMs: options.bulk?.pollTimeoutMs,
        onBulkJob: async (jobId) => {
          outcome.bulkJobId = jobId;
          await saveRun({ Bulk_Job_Id__c: jobId });
        }
      });
      outcome.rowsWritten += written.written;
      outcome.rowsDeleted += await deleteRows(client, diff.deletes);
    }

    outcome.writeCalls = client.apiCalls - callsBeforeWrites;
    const names = new Map(rows.pipeline.map((row) => [String(row.Opportunity_Key__c), String(row.Name)]));
    outcome.summary = summarise(result, names);
    outcome.status = 'Completed';
    outcome.durationMs = Date.now() - started;
    // The final save is itself a call: count it in what the run reports.
    outcome.apiCalls = client.apiCalls + 1;
    outcome.retries = client.retries;
    await saveRun({
      Status__c: 'Completed',
      Finished_At__c: new Date().toISOString(),
      Duration_Ms__c: outcome.durationMs,
      Resources_Read__c: result.counts.resources,
      Demand_Lines_Read__c: result.counts.demandLines,
      Opportunities_Read__c: result.counts.opportunities,
      Assignments_Read__c: result.counts.assignments,
      Rows_Written__c: outcome.rowsWritten,
      API_Calls_Used__c: outcome.apiCalls,
      Retries__c: outcome.retries,
      Summary__c: JSON.stringify(outcome.summary).slice(0, 32_000)
    });
    progress('done', `${outcome.rowsWritten} rows written, ${outcome.apiCalls} API calls`);
    return outcome;
  } catch (error) {
    const details = (error as { details?: { recordKey?: string; jobId?: string } }).details ?? {};
    outcome.error = {
      message: (error as Error).message,
      errorCode: errorCodeOf(error),
      recordKey: details.recordKey,
      jobId: details.jobId ?? outcome.bulkJobId
    };
    outcome.status = 'Failed';
    outcome.durationMs = Date.now() - started;
    outcome.apiCalls = client.apiCalls + 1;
    outcome.retries = client.retries;
    progress('failed', outcome.error.message);
    const cause = [
      `${outcome.error.errorCode}: ${outcome.error.message}`,
      outcome.error.recordKey ? `record: ${outcome.error.recordKey}` : '',
      outcome.error.jobId ? `bulk job: ${outcome.error.jobId} (resume it by id)` : ''
    ]
      .filter(Boolean)
      .join('\n');
    try {
      await saveRun({
        Status__c: 'Failed',
        Finished_At__c: new Date().toISOString(),
        Duration_Ms__c: outcome.durationMs,
        API_Calls_Used__c: outcome.apiCalls,
        Retries__c: outcome.retries,
        Rows_Written__c: outcome.rowsWritten,
        Error__c: cause.slice(0, 32_000),
        ...(runSaved ? {} : { Trigger__c: options.trigger, Started_At__c: new Date(started).toISOString() })
      });
    } catch (saveError) {
      // The org cannot even take the failure: say so where the operator looks (the service log).
      outcome.error.message += ` (and the failure could not be recorded in Salesforce: ${(saveError as Error).message})`;
    }
    return outcome;
  }
}

/** An outcome with nothing done yet: Failed until the run completes. */
export function failedOutcome(runKey: string, error?: RunOutcome['error']): RunOutcome {
  return {
    runKey,
    status: 'Failed',
    rowsRead: 0,
    rowsWritten: 0,
    rowsDeleted: 0,
    apiCalls: 0,
    writeCalls: 0,
    retries: 0,
    durationMs: 0,
    ...(error ? { error } : {})
  };
}

async function runRecordId(client: SalesforceClient, runKey: string): Promise<string> {
  const record = await client.request<{ Id: string }>({
    method: 'GET',
    url: `/services/data/v${client.version}/sobjects/${RUN}/Run_Key__c/${runKey}?fields=Id`,
    idempotent: true
  });
  return record.Id;
}
