import { randomUUID } from 'node:crypto';
import { forecast } from '../engine/forecast';
import { isoDate, dayNumber } from '../engine/calendar';
import type { SalesforceClient } from '../salesforce/client';
import { errorCodeOf } from '../salesforce/errors';
import { picklistValues, queryAll } from '../salesforce/reader';
import { deleteRows, upsertRows } from '../salesforce/writer';
import { historyFrom, readCalibration, type CalibrationRunOptions } from './calibration';
import { historyQuery, inputQueries, toEngineInput } from './inputs';
import { RunLease, type LeaseOptions } from './lease';
import { diffRows, outputRows, type Slot } from './rows';
import { formatWrites, summarise, type RunSummary } from './summary';

export type RunTrigger = 'Manual' | 'Schedule' | 'Lifecycle Event' | 'CLI' | 'Start';

export interface RunOptions extends CalibrationRunOptions {
  trigger: RunTrigger;
  runKey?: string;
  /** Forecast date (default today, UTC). */
  asOf?: string;
  horizonWeeks?: number;
  trials?: number;
  seed?: number;
  /** Resume a run whose Bulk 2.0 job timed out: poll that job instead of submitting a new one. */
  resumeBulkJobId?: string;
  /**
   * Bulk API 2.0 above this many changed rows of one object (default 2,000); bulk polling limits; inputs are read
   * through Bulk API 2.0 query jobs above `readThreshold` rows per query (default 20,000).
   */
  bulk?: { threshold?: number; pollIntervalMs?: number; pollTimeoutMs?: number; readThreshold?: number };
  onProgress?: (stage: string, detail?: string) => void;
  /**
   * The run lease (see RunLease): its TTL, the clock-skew margin, how long and how often to wait for the holder;
   * `heartbeatMs` is how often a live run renews the lease and its run record's Heartbeat_At__c (default TTL / 4).
   */
  lease?: LeaseOptions & { heartbeatMs?: number };
  /** Run keys this process keeps alive along with this run (a coordinator's queued run): same heartbeat. */
  alsoAlive?: () => string[];
  /**
   * Stops the run from outside (the service's last resort, after an error escaped it): from then on it renews,
   * writes and publishes nothing, and ends Failed (RUN_ABORTED) with the reason the signal carries.
   */
  signal?: AbortSignal;
}

export interface RunOutcome {
  runKey: string;
  /** The run record's Name, an auto-number (RUN-000123): how Salesforce and the pages name the run. */
  runName?: string;
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
  /** API calls spent on the run lease and heartbeats (included in apiCalls, not in writeCalls). */
  leaseCalls?: number;
  /** The runs that held the lease while this run waited for it, and how long it waited. */
  waitedFor?: string;
}

const RUN = 'Capacity_Forecast_Run__c';
const OUTPUTS = [
  { object: 'Capacity_Forecast__c', key: 'Row_Key__c', rows: 'forecast' },
  { object: 'Staffing_Answer__c', key: 'Answer_Key__c', rows: 'answers' },
  { object: 'Staffing_Recommendation__c', key: 'Recommendation_Key__c', rows: 'recommendations' }
] as const;

/**
 * One forecast run against one org: take the run lease, read every input, compute, publish into the slot the current
 * forecast does not use, then mark the run Completed so readers switch to it, and give the lease back. The lease is
 * taken before the slot is chosen and renewed before each write phase and before publishing, so two processes never
 * choose the same slot: a run that cannot get it waits for its holder (and says so in Waited_For__c); a run that
 * lost it stops without publishing. A run that fails is recorded as Failed with its cause; a run killed mid-way
 * leaves the previous forecast current, and once its heartbeat is older than the lease's TTL the next run marks it
 * interrupted (never a live one).
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
  const lease = new RunLease(client, runKey, options.lease);
  const heartbeatMs = options.lease?.heartbeatMs ?? Math.floor(lease.ttlMs / 4);
  const alsoAlive = options.alsoAlive ?? (() => []);
  let heartbeatCalls = 0;
  const housekeeping = () => lease.calls + heartbeatCalls;
  const saveRun = (fields: Record<string, unknown>) =>
    client.request({
      method: 'PATCH',
      url: `${base}/sobjects/${RUN}/Run_Key__c/${runKey}`,
      body: fields,
      idempotent: true
    });

  let runSaved = false;
  let stopHeartbeat = async () => undefined as void;
  const onAbort = () => {
    const reason = options.signal?.reason as unknown;
    lease.forfeit(reason instanceof Error ? reason.message : String(reason ?? 'stopped'));
    void stopHeartbeat();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // The run says it is Running (and alive) before it waits for the lease: a waiting run is not an interrupted one.
    await saveRun({
      Status__c: 'Running',
      Trigger__c: options.trigger,
      As_Of__c: asOf,
      Horizon_Weeks__c: horizonWeeks,
      Trials__c: trials,
      Seed__c: seed,
      Started_At__c: new Date(started).toISOString(),
      Heartbeat_At__c: new Date().toISOString()
    });
    runSaved = true;
    heartbeatCalls++;
    stopHeartbeat = startHeartbeat(heartbeatMs, async () => {
      if (lease.held) await lease.renew().catch(() => undefined); // a lost lease is reported at the next check
      heartbeatCalls++;
      const at = new Date().toISOString();
      // The runs kept alive along with this one are still waiting: Queued (this run's heartbeat stops before the
      // coordinator starts the next run, so this never lands on a run that started).
      await upsertRows(client, RUN, 'Run_Key__c', [
        { key: runKey, fields: { Heartbeat_At__c: at } },
        ...alsoAlive().map((key) => ({ key, fields: { Status__c: 'Queued', Heartbeat_At__c: at } }))
      ]);
    });

    progress('lease', 'claiming the forecast lease');
    const wait = await lease.acquire(async (holder, expiresAt) => {
      progress('lease', `waiting for run ${holder} (its lease runs until ${new Date(expiresAt).toISOString()})`);
      await saveRun({ Waited_For__c: `run ${holder}: waiting since ${new Date().toISOString()}` });
    });
    if (wait.holders.length > 0) {
      outcome.waitedFor = `run ${wait.holders.join(', then run ')}: waited ${(wait.waitedMs / 1000).toFixed(1)} s`;
    }

    progress('read', 'inputs');
    const from = isoDate(dayNumber(asOf) - 7);
    const to = isoDate(dayNumber(asOf) + horizonWeeks * 7 + 7);
    const history = historyQuery(historyFrom(asOf, options.calibrationWindowMonths));
    const rows = await queryAll(
      client,
      { ...inputQueries(from, to), history },
      { bulkAbove: options.bulk?.readThreshold, pollIntervalMs: options.bulk?.pollIntervalMs }
    );
    const roles = await picklistValues(client, 'Resource_Demand__c', 'Role__c');
    const slot: Slot = rows.lastCompleted[0]?.Slot__c === 'A' ? 'B' : 'A';
    outcome.slot = slot;

    // Runs left Queued or Running whose heartbeat stopped for longer than the lease's TTL, or whose expired lease this
    // run took over, were interrupted (their process stopped): record that. A live run, in this process or another,
    // renews its heartbeat and is left alone.
    const alive = new Set([runKey, ...alsoAlive()]);
    const staleBefore = Date.now() - lease.ttlMs;
    const runRecords = [
      ...rows.interrupted
        .filter((row) => !alive.has(String(row.Run_Key__c)))
        .filter(
          (row) =>
            wait.tookOver.includes(String(row.Run_Key__c)) ||
            !row.Heartbeat_At__c ||
            Date.parse(String(row.Heartbeat_At__c)) < staleBefore
        )
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
          Started_At__c: new Date(started).toISOString(),
          ...(outcome.waitedFor ? { Waited_For__c: outcome.waitedFor.slice(0, 255) } : {})
        }
      }
    ];
    await upsertRows(client, RUN, 'Run_Key__c', runRecords);

    progress('read', `slot ${slot} as stored`);
    const stored = await queryAll(client, {
      forecast: `SELECT Id, Row_Key__c, Dimension__c, Name__c, Week_Start__c, Capacity_Hours__c, Confirmed_Hours__c, Weighted_Hours__c, Weighted_Entered_Hours__c, Weighted_Calibrated_Hours__c, Exposure_Hours__c, Tentative_Hours__c, Skill__c, P10_Hours__c, P50_Hours__c, P90_Hours__c, Shortage_Probability__c, Slot__c FROM Capacity_Forecast__c WHERE Slot__c = '${slot}'`,
      answers: `SELECT Id, Answer_Key__c, Opportunity__c, Engagement__c, Staffable__c, Answer_State__c, Planned_Start__c, Start_Basis__c, Start_Shift_Days__c, Earliest_Feasible_Start__c, Shortfall_Hours__c, Over_Committed_Hours__c, Hours_Beyond_Horizon__c, Horizon_End__c, Short_Roles__c, Short_Skills__c, Shortfalls__c, Slot__c FROM Staffing_Answer__c WHERE Slot__c = '${slot}'`,
      recommendations: `SELECT Id, Recommendation_Key__c, Demand__c, Engagement__c, Resource__c, Rank__c, Score__c, Availability__c, Skill_Match__c, Slot__c FROM Staffing_Recommendation__c WHERE Slot__c = '${slot}'`
    });
    outcome.rowsRead =
      Object.values(rows).reduce((sum, list) => sum + list.length, 0) +
      Object.values(stored).reduce((sum, list) => sum + list.length, 0);

    progress('compute', `${rows.resources.length} resources, ${rows.demand.length} demand lines, ${trials} trials`);
    const calibration = await readCalibration(client, rows, asOf, options);
    const input = { ...toEngineInput(rows, roles, asOf, horizonWeeks), history: calibration.history };
    const result = await forecast(input, { trials, seed, ...calibration.engineOptions });
    outcome.counts = result.counts;

    const { Id: runId, Name: runName } = await runRecord(client, runKey);
    outcome.runName = runName;
    const engagementsByOpportunity = new Map(
      rows.pipeline.map((row) => [String(row.Opportunity_Key__c), String(row.Id)])
    );
    const engagementsByDemand = new Map(rows.demand.map((row) => [String(row.Id), String(row.Engagement__c)]));
    const wanted = outputRows(result, slot, runId, engagementsByOpportunity, engagementsByDemand);

    const callsBeforeWrites = client.apiCalls;
    const housekeepingBeforeWrites = housekeeping();
    for (const output of OUTPUTS) {
      const diff = diffRows(wanted[output.rows], stored[output.rows], output.key);
      // Only the holder writes a slot: a run whose lease was taken over stops here.
      await lease.renew();
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

    outcome.writeCalls = client.apiCalls - callsBeforeWrites - (housekeeping() - housekeepingBeforeWrites);
    const names = new Map(rows.pipeline.map((row) => [String(row.Opportunity_Key__c), String(row.Name)]));
    outcome.summary = summarise(result, names);
    // Publishing switches readers to this slot: only while this run still holds the lease.
    await lease.renew();
    outcome.status = 'Completed';
    outcome.durationMs = Date.now() - started;
    // The final save and the lease's release are calls too: count them in what the run reports.
    outcome.apiCalls = client.apiCalls + 2;
    outcome.leaseCalls = housekeeping() + 1;
    outcome.retries = client.retries;
    await saveRun({
      Status__c: 'Completed',
      Finished_At__c: finishedAfter(rows.lastCompleted[0]?.Finished_At__c),
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
    await stopHeartbeat();
    await releaseQuietly(lease);
    options.signal?.removeEventListener('abort', onAbort);
    progress('done', `${outcome.runName ?? runKey}: ${formatWrites(outcome)}, ${outcome.apiCalls} API calls`);
    return outcome;
  } catch (error) {
    await stopHeartbeat();
    await releaseQuietly(lease);
    options.signal?.removeEventListener('abort', onAbort);
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
    outcome.leaseCalls = housekeeping();
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
        ...(outcome.waitedFor ? { Waited_For__c: outcome.waitedFor.slice(0, 255) } : {}),
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

/** The run record's Id and its auto-number Name, in the one read the run needs anyway. */
async function runRecord(client: SalesforceClient, runKey: string): Promise<{ Id: string; Name?: string }> {
  return client.request<{ Id: string; Name?: string }>({
    method: 'GET',
    url: `/services/data/v${client.version}/sobjects/${RUN}/Run_Key__c/${runKey}?fields=Id,Name`,
    idempotent: true
  });
}

/** Calls `beat` every `intervalMs` (never two at once, never throwing); the returned stop waits for a beat under way. */
function startHeartbeat(intervalMs: number, beat: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = beat()
      .catch(() => undefined) // a missed beat is retried at the next one; the lease check reports a lost lease
      .finally(() => (inFlight = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}

/**
 * This run's Finished_At__c: now, but at least a second after the completed run it follows. Readers take the latest
 * completed run by Finished_At__c, and DateTime fields keep whole seconds ("a precision of one second", SOAP API
 * Developer Guide, Primitive Data Types), so two runs finishing within one second would otherwise tie and readers
 * could take the older slot. The lease orders the runs, so this run is the later one.
 */
function finishedAfter(previous: unknown): string {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const before = typeof previous === 'string' ? Date.parse(previous) : NaN;
  return new Date(Number.isNaN(before) ? now : Math.max(now, Math.floor(before / 1000) * 1000 + 1000)).toISOString();
}

/** Gives the lease back after a run; a release that fails leaves it to expire, which the next run takes over. */
async function releaseQuietly(lease: RunLease): Promise<void> {
  try {
    await lease.release();
  } catch {
    // Expires after its TTL: the next run waits at most that long, then takes it over.
  }
}
