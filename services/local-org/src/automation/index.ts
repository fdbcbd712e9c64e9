export { automationOf, installAutomation, type Automation, type DeclaredTrigger } from './install';
export type { Notice } from './engine';
export { applyAlerts, incidentKey, type AlertNotification, type Incident } from './alerts';
export { compileRules, readRuleRecords, RuleError, RULE_TYPES, type HandoffRules, type RuleRecords } from './rules';
