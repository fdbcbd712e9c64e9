export { forecast } from './engine/forecast';
export { EngineInputError, validateInput, MAX_HORIZON_WEEKS } from './engine/validate';
export type * from './engine/types';
export { SalesforceClient, type ClientOptions } from './salesforce/client';
export { connect, mintJwtToken, type Target } from './salesforce/connection';
export { SalesforceError } from './salesforce/errors';
export { runForecast, type RunOptions, type RunOutcome, type RunTrigger } from './run/runner';
export {
  RunCoordinator,
  type CoordinatorOptions,
  type RunContext,
  type RunRequest,
  type RunState
} from './run/coordinator';
export { OrgRequestLedger, type LedgerRecord, type RequestLedger } from './run/ledger';
export { FORECAST_LEASE, RunLease, type LeaseOptions } from './run/lease';
export { installLastResort } from './run/last-resort';
export { formatSummary, formatWrites, summarise, type RunSummary } from './run/summary';
export { createApp } from './http/app';
export { checkSecret, sign, signedBody, signedUrl, SIGNATURE_HEADER } from './http/auth';
