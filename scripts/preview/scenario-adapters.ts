import { createHmac, randomUUID } from 'node:crypto';
import type { LocalOrg } from '@handoff/local-org';
import { AuraHandledError } from './aura-error';

type ApexMethod = (org: LocalOrg, params: Record<string, unknown>) => unknown;

/** ForecastSlot.current()'s Id: the latest Completed run. */
const currentRunId = (org: LocalOrg): string | null =>
  text(
    org.store.query(
      "SELECT Id FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC NULLS LAST LIMIT 1"
    )[0]?.Id
  );

/**
 * PREVIEW ADAPTERS, not the product: TypeScript twins of CapacityScenarioController, CapacityScenarios and
 * CapacityScenarioRequest (and the what-if methods of DeliveryOutlookController), so the scenario editor and the
 * delivery outlook's what-if run in a browser against the local org and the real capacity service of `npm start`.
 * As in Apex: saves go through the org's validation rules and restricted picklists (their message comes back naming
 * the field); running a scenario marks it Queued and a job (here: the next turn of the event loop) POSTs a signed
 * /scenarios to the service, marking the scenario Failed with the cause when the service does not accept it.
 */

type Row = Record<string, unknown>;
type Params = Record<string, unknown>;

/** Where the Handoff_Capacity_Service named credential points in the preview (`npm start` sets it). */
export interface ScenarioServiceEndpoint {
  url: string;
  secret: string;
}

let endpoint: ScenarioServiceEndpoint | undefined;
const jobs = new Set<Promise<void>>();

/** Points scenario requests at a running capacity service (undefined: a request fails, as without a named credential). */
export function useScenarioService(service: ScenarioServiceEndpoint | undefined): void {
  endpoint = service && { url: service.url.replace(/\/+$/, ''), secret: service.secret };
}

/** Resolves when no scenario request is waiting or being sent. */
export async function scenarioRequestsIdle(): Promise<void> {
  while (jobs.size > 0) await Promise.all([...jobs]);
}

const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const invalid = (name: string, type: string) =>
  new AuraHandledError(`Value provided is invalid for action parameter '${name}' of type '${type}'`);

function idParam(params: Params, name: string): string | null {
  const value = params[name];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !ID.test(value)) throw invalid(name, 'Id');
  return value;
}

function dateParam(params: Params, name: string): string | null {
  const value = params[name];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !DATE.test(value)) throw invalid(name, 'Date');
  return value;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const date = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, 10) : null);
const datetime = (value: unknown): string | null => (typeof value === 'string' ? new Date(value).toISOString() : null);
const parentName = (row: Row, relationship: string): string | null =>
  text(((row[relationship] as Row | null) ?? {}).Name);
const children = (row: Row, relationship: string): Row[] =>
  (row[relationship] as { records: Row[] } | null)?.records ?? [];

/** CapacityScenarios.describe: the org's message and the fields it names. */
function save(org: LocalOrg, operation: Parameters<LocalOrg['store']['write']>[0][number], what: string): string {
  const [result] = org.store.write([operation]);
  if (!result?.success) {
    const error = result?.errors[0] as { message?: string; fields?: string[] } | undefined;
    const fields = error?.fields?.length ? ` (${error.fields.join(', ')})` : '';
    throw new AuraHandledError(`${what}: ${error?.message ?? 'not saved'}${fields}`);
  }
  return String(result.id ?? (operation as { id?: string }).id);
}

const SCENARIO_FIELDS =
  'Id, Name, Description__c, Status__c, Requested_At__c, Computed_At__c, Error__c, Based_On_Run__c, Based_On_Run__r.Name, Opportunity__c, Opportunity__r.Name';

function summary(row: Row, currentRunId: string | null) {
  return {
    id: row.Id,
    name: row.Name,
    description: text(row.Description__c),
    status: text(row.Status__c),
    requestedAt: datetime(row.Requested_At__c),
    computedAt: datetime(row.Computed_At__c),
    error: text(row.Error__c),
    basedOnRunId: text(row.Based_On_Run__c),
    basedOnRunName: parentName(row, 'Based_On_Run__r'),
    current: currentRunId !== null && row.Based_On_Run__c === currentRunId,
    opportunityId: text(row.Opportunity__c),
    opportunityName: parentName(row, 'Opportunity__r'),
    changeCount: children(row, 'Changes__r').length
  };
}

const listScenarios: ApexMethod = (org) => {
  const runId = currentRunId(org);
  return org.store
    .query(
      `SELECT ${SCENARIO_FIELDS}, (SELECT Id FROM Changes__r LIMIT 500) FROM Capacity_Scenario__c ORDER BY CreatedDate DESC LIMIT 200`
    )
    .map((row) => summary(row, runId));
};

const getScenario: ApexMethod = (org, params) => {
  const scenarioId = idParam(params, 'scenarioId');
  if (!scenarioId) return null;
  const [row] = org.store.query(
    `SELECT ${SCENARIO_FIELDS}, (SELECT Id, Name, Type__c, Opportunity__c, Opportunity__r.Name, New_Start__c, Shift_Days__c, Probability__c, ` +
      'Demand_Template__c, Units__c, Practice__c, Start_Date__c FROM Changes__r ORDER BY Name LIMIT 500) ' +
      `FROM Capacity_Scenario__c WHERE Id = '${scenarioId}' LIMIT 1`
  );
  if (!row) return null;
  return {
    ...summary(row, currentRunId(org)),
    changes: children(row, 'Changes__r').map((change) => ({
      id: change.Id,
      name: change.Name,
      type: text(change.Type__c),
      opportunityId: text(change.Opportunity__c),
      opportunityName: parentName(change, 'Opportunity__r'),
      newStart: date(change.New_Start__c),
      shiftDays: num(change.Shift_Days__c),
      probability: num(change.Probability__c),
      demandTemplate: text(change.Demand_Template__c),
      units: num(change.Units__c),
      practice: text(change.Practice__c),
      startDate: date(change.Start_Date__c)
    }))
  };
};

const getEditorOptions: ApexMethod = (org) => {
  const deals = org.store
    .query('SELECT Id, Name FROM Opportunity WHERE IsClosed = false ORDER BY Name LIMIT 500')
    .map((row) => ({ label: String(row.Name), value: String(row.Id) }));
  const codes = new Set(
    org.store
      .query('SELECT Product_Code__c FROM Handoff_Demand_Template__mdt WHERE Active__c = true')
      .map((row) => text(row.Product_Code__c))
      .filter((code): code is string => Boolean(code))
  );
  return { deals, templates: [...codes].sort().map((code) => ({ label: code, value: code })) };
};

const saveScenario: ApexMethod = (org, params) => {
  const scenarioId = idParam(params, 'scenarioId');
  const name = text(params.name)?.trim();
  if (!name) throw new AuraHandledError('Capacity Scenario: Scenario Name is required (Name).');
  const values = { Name: name.slice(0, 80), Description__c: text(params.description) };
  return scenarioId
    ? save(org, { kind: 'update', object: 'Capacity_Scenario__c', id: scenarioId, values }, 'Capacity Scenario')
    : save(
        org,
        { kind: 'insert', object: 'Capacity_Scenario__c', values: { ...values, Status__c: 'Draft' } },
        'Capacity Scenario'
      );
};

const CHANGE_FIELDS = [
  'Type__c',
  'Opportunity__c',
  'New_Start__c',
  'Shift_Days__c',
  'Probability__c',
  'Demand_Template__c',
  'Units__c',
  'Practice__c',
  'Start_Date__c'
];

const saveChange: ApexMethod = (org, params) => {
  const change = params.change as Row | null | undefined;
  if (!change || typeof change !== 'object') throw new AuraHandledError('Scenario Change: nothing to save.');
  const values: Row = {};
  for (const field of CHANGE_FIELDS) values[field] = change[field] ?? null;
  const id = typeof change.Id === 'string' && ID.test(change.Id) ? change.Id : null;
  return id
    ? save(org, { kind: 'update', object: 'Scenario_Change__c', id, values }, 'Scenario Change')
    : save(
        org,
        {
          kind: 'insert',
          object: 'Scenario_Change__c',
          values: { ...values, Scenario__c: change.Scenario__c ?? null }
        },
        'Scenario Change'
      );
};

const deleteChange: ApexMethod = (org, params) => {
  const changeId = idParam(params, 'changeId');
  if (!changeId) throw new AuraHandledError('Scenario Change: choose a change to delete.');
  save(org, { kind: 'delete', object: 'Scenario_Change__c', id: changeId }, 'Scenario Change');
  return null;
};

/** CapacityScenarios.request: Requested At (the user's edit), Queued (the service's field), then the callout job. */
function request(org: LocalOrg, scenarioId: string): void {
  save(
    org,
    {
      kind: 'update',
      object: 'Capacity_Scenario__c',
      id: scenarioId,
      values: { Requested_At__c: new Date().toISOString(), Status__c: 'Queued', Error__c: null }
    },
    'Capacity Scenario'
  );
  const requestId = randomUUID();
  const job = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => send(org, scenarioId, requestId))
    .finally(() => jobs.delete(job));
  jobs.add(job);
}

/** CapacityScenarioRequest.execute: POST /scenarios, signed as the external credential signs it. */
async function send(org: LocalOrg, scenarioId: string, requestId: string): Promise<void> {
  let failure: string | undefined;
  try {
    if (!endpoint)
      throw new Error('the Handoff_Capacity_Service named credential has no URL (start the preview with npm start)');
    const body = JSON.stringify({
      method: 'POST',
      path: '/scenarios',
      requestedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      nonce: randomUUID(),
      requestId,
      scenarioId
    });
    const response = await fetch(`${endpoint.url}/scenarios`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-handoff-signature': createHmac('sha256', endpoint.secret).update(body, 'utf8').digest('hex')
      },
      body,
      signal: AbortSignal.timeout(20_000)
    });
    const answer = await response.text();
    if (response.status !== 202)
      failure = `HTTP ${response.status} from the capacity service: ${answer.slice(0, 2000)}`;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== undefined) {
    // As the job's own transaction: a preview closed meanwhile has nothing left to record into.
    try {
      org.store.write([
        {
          kind: 'update',
          object: 'Capacity_Scenario__c',
          id: scenarioId,
          values: { Status__c: 'Failed', Error__c: `Could not request the computation: ${failure}`.slice(0, 32_000) }
        }
      ]);
    } catch {
      // the org is closed
    }
  }
}

const runScenario: ApexMethod = (org, params) => {
  const scenarioId = idParam(params, 'scenarioId');
  if (!scenarioId || !org.store.get('Capacity_Scenario__c', scenarioId)) {
    throw new AuraHandledError(
      `You cannot run scenario ${String(params.scenarioId ?? null)}: only its owner and users it is shared with for edit can.`
    );
  }
  request(org, scenarioId);
  return null;
};

const askStartWhatIf: ApexMethod = (org, params) => {
  const opportunityId = idParam(params, 'opportunityId');
  const newStart = dateParam(params, 'newStart');
  if (!opportunityId || !newStart) throw new AuraHandledError('Choose a start date for the deal.');
  const scenarioId = save(
    org,
    {
      kind: 'insert',
      object: 'Capacity_Scenario__c',
      values: { Name: `What if it started on ${newStart}`, Opportunity__c: opportunityId, Status__c: 'Draft' }
    },
    'Capacity Scenario'
  );
  save(
    org,
    {
      kind: 'insert',
      object: 'Scenario_Change__c',
      values: { Scenario__c: scenarioId, Type__c: 'Shift Start', Opportunity__c: opportunityId, New_Start__c: newStart }
    },
    'Scenario Change'
  );
  request(org, scenarioId);
  return scenarioId;
};

const getWhatIf: ApexMethod = (org, params) => {
  const scenarioId = idParam(params, 'scenarioId');
  if (!scenarioId) return null;
  const [row] = org.store.query(
    'SELECT Id, Status__c, Error__c, Computed_At__c, Based_On_Run__c, Deal_Answer_State__c, Deal_Staffable__c, Deal_Planned_Start__c, ' +
      'Deal_Shortfall_Hours__c, Deal_Over_Committed_Hours__c, Deal_Earliest_Feasible_Start__c, Deal_Short_Roles__c ' +
      `FROM Capacity_Scenario__c WHERE Id = '${scenarioId}' LIMIT 1`
  );
  if (!row) return null;
  const runId = currentRunId(org);
  const completed = row.Status__c === 'Completed';
  return {
    scenarioId: row.Id,
    status: text(row.Status__c),
    error: text(row.Error__c),
    computedAt: datetime(row.Computed_At__c),
    current: runId !== null && row.Based_On_Run__c === runId,
    ...(completed
      ? {
          answerState: text(row.Deal_Answer_State__c),
          staffable: row.Deal_Staffable__c === true,
          plannedStart: date(row.Deal_Planned_Start__c),
          shortfallHours: num(row.Deal_Shortfall_Hours__c),
          overCommittedHours: num(row.Deal_Over_Committed_Hours__c),
          earliestFeasibleStart: date(row.Deal_Earliest_Feasible_Start__c),
          shortRoles: (text(row.Deal_Short_Roles__c) ?? '')
            .split(',')
            .map((role) => role.trim())
            .filter(Boolean)
        }
      : { shortRoles: [] })
  };
};

/** `Class.method` → preview adapter, merged into APEX_METHODS. */
export const SCENARIO_METHODS: [string, ApexMethod][] = [
  ['CapacityScenarioController.listScenarios', listScenarios],
  ['CapacityScenarioController.getScenario', getScenario],
  ['CapacityScenarioController.getEditorOptions', getEditorOptions],
  ['CapacityScenarioController.saveScenario', saveScenario],
  ['CapacityScenarioController.saveChange', saveChange],
  ['CapacityScenarioController.deleteChange', deleteChange],
  ['CapacityScenarioController.runScenario', runScenario],
  ['DeliveryOutlookController.askStartWhatIf', askStartWhatIf],
  ['DeliveryOutlookController.getWhatIf', getWhatIf]
];
