export { createLocalOrg, type LocalOrg, type LocalOrgOptions } from './local-org';
export { FaultController, faultSchema, type FaultConfig, type FaultInput } from './http/faults';
export { RecordError, SalesforceError } from './errors';
export { Store, type WriteOperation, type WriteOptions, type WriteResult } from './store/store';
export type { ObjectHooks, TriggerEvent } from './store/hooks';
export { caseSafeSuffix, normalizeId } from './store/ids';
export {
  automationOf,
  compileRules,
  installAutomation,
  readRuleRecords,
  RuleError,
  type AlertNotification,
  type Automation,
  type HandoffRules,
  type RuleRecords
} from './automation';
export { orderedQuestions } from './automation/answer-gate';
export {
  EventBus,
  type DeliveredEvent,
  type DeliveryFailure,
  type EventHandler,
  type SubscribeOptions
} from './store/event-bus';
export {
  CapacityForecastRequests,
  type CapacityServiceEndpoint,
  type SentRequest
} from './automation/capacity-request';
