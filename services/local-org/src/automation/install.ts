import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageDirectoriesOf } from '@handoff/schema';
import { RecordError } from '../errors';
import type { TriggerEvent } from '../store/hooks';
import type { Store } from '../store/store';
import { checkHandoffAnswers } from './answer-gate';
import { installAlerts, type AlertNotification } from './alerts';
import { billingReadyMessages, checkMilestone } from './billing';
import { syncDeals, type Notice } from './engine';
import { compileRules, readRuleRecords, RuleError, type HandoffRules, type RuleRecords } from './rules';

/**
 * The local org's declared automation: the Opportunity and OpportunityLineItem triggers the project declares
 * (`triggers/*.trigger` calling HandoffTriggers), run offline by the rules interpreter on the store's hooks.
 */
export interface Automation {
  /** The triggers found in the project and hooked up (none when the project lacks the Handoff objects). */
  readonly triggers: DeclaredTrigger[];
  /** Custom notifications delivered to delivery leads (the local org has no notification tray). */
  readonly notifications: Notice[];
  /**
   * Custom notifications of Handoff alerts (HandoffAlertNotifier): one per opening of an incident, none for its
   * repeats; empty when the project declares no alert trigger.
   */
  readonly alertNotifications: AlertNotification[];
  /** Skips the automation, as the Handoff_Bypass_Automation custom permission does. */
  bypassed: boolean;
  /**
   * Uses these rules instead of the org's custom metadata records (HandoffRules.use), or the org's again when
   * undefined. They are validated at once: a bad record throws RuleError.
   */
  useRules(records: RuleRecords | undefined): void;
  uninstall(): void;
}

export interface DeclaredTrigger {
  name: string;
  object: string;
  /** The `after` events it fires on. */
  events: TriggerEvent['operation'][];
  /** The HandoffTriggers entry point it calls. */
  entryPoint: 'onOpportunities' | 'onLineItems';
}

const OBJECTS = [
  'Opportunity',
  'OpportunityLineItem',
  'Engagement__c',
  'Engagement_Phase__c',
  'Resource_Demand__c',
  'Engagement_Change__c',
  'Handoff_Checklist_Item__c',
  'Handoff_Lifecycle_Event__e'
];
/** Deal fields whose change can move the engagement, besides the mapped ones (HandoffTriggers.needsSync). */
const SYNC_FIELDS = ['StageName', 'Probability', 'CloseDate', 'Expected_Start__c'];

const installed = new WeakMap<Store, Automation>();

/** The automation installed on a store, if any (tests use it to inject rules into an org they started). */
export const automationOf = (store: Store): Automation | undefined => installed.get(store);

/** Hooks the project's declared Handoff triggers into the store. */
export function installAutomation(store: Store, projectRoot: string): Automation {
  const existing = installed.get(store);
  if (existing) return existing;
  const files = projectFiles(projectRoot);
  const hasObjects = OBJECTS.every((name) => store.schema.object(name));
  const triggers = hasObjects ? files.filter((file) => file.endsWith('.trigger')).flatMap(declaredTrigger) : [];
  const notificationType = files.some(
    (file) => path.basename(file) === 'Handoff_Engagement_Changed.notiftype-meta.xml'
  );
  let injected: RuleRecords | undefined;
  // The forecast run trigger raising RUN_FAILED: not bypassed by Handoff_Bypass_Automation, as in Apex.
  const alerts = installAlerts(store, files);

  const automation: Automation = {
    triggers,
    notifications: [],
    alertNotifications: alerts?.notifications ?? [],
    bypassed: false,
    useRules(records) {
      if (records) compileRules(store.schema, records);
      injected = records;
    },
    uninstall() {
      for (const unregister of unregisters) unregister();
      alerts?.uninstall();
      installed.delete(store);
    }
  };

  const run = (trigger: DeclaredTrigger, event: TriggerEvent, hookStore: Store) => {
    if (automation.bypassed || !trigger.events.includes(event.operation)) return;
    let rules: HandoffRules;
    try {
      rules = compileRules(hookStore.schema, injected ?? readRuleRecords(hookStore));
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      // An exception in a trigger fails the whole DML statement.
      const operation = event.operation[0]!.toUpperCase() + event.operation.slice(1);
      const message = `${trigger.name}: execution of After${operation} caused by: HandoffRules.RuleException: ${error.message}`;
      const failure = new RecordError('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', message);
      for (const record of event.records) event.addError(record.id, failure);
      return;
    }
    // The deal each triggering record syncs: a line item's opportunity; an opportunity itself, on update only when
    // a field the engagement depends on changed (HandoffTriggers.needsSync).
    const dealOf = new Map<string, string>();
    // HandoffAnswerGate: a deal that may not enter its new stage yet is refused before anything syncs.
    const refused =
      trigger.entryPoint === 'onOpportunities' && (event.operation === 'insert' || event.operation === 'update')
        ? checkHandoffAnswers(
            hookStore,
            rules,
            event.records.map((record) => ({
              id: record.id,
              stageName: record.new?.StageName,
              oldStageName: record.old?.StageName
            }))
          )
        : new Map<string, string>();
    for (const record of event.records) {
      const values = record.new ?? record.old ?? {};
      const refusal = refused.get(record.id);
      if (refusal) {
        event.addError(record.id, new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', refusal, ['StageName']));
      } else if (trigger.entryPoint === 'onLineItems') {
        dealOf.set(record.id, String(values.OpportunityId));
      } else if (event.operation !== 'update' || needsSync(rules, record.old ?? {}, values)) {
        dealOf.set(record.id, record.id);
      }
    }
    const context = {
      store: hookStore,
      rules,
      notificationType,
      deliver: (notice: Notice) => automation.notifications.push(notice)
    };
    const errors = syncDeals(context, [...new Set(dealOf.values())]);
    for (const [recordId, dealId] of dealOf) {
      const message = errors.get(dealId);
      if (message) event.addError(recordId, new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', message));
    }
  };

  const unregisters = triggers.map((trigger) =>
    store.hooks.register(trigger.object, {
      beforeCommit: (event, hookStore) => run(trigger, event, hookStore as Store)
    })
  );
  // BillingMilestoneTrigger (before insert, before update, after update): the ERP write-back checks, and a Billing
  // Ready outbox message for each milestone delivery marks Complete.
  if (store.schema.object('Billing_Milestone__c') && files.some(declaresBillingTrigger)) {
    unregisters.push(
      store.hooks.register('Billing_Milestone__c', {
        beforeSave: (record) => checkMilestone(record),
        beforeCommit: (event, hookStore) => {
          if (event.operation === 'update') billingReadyMessages(hookStore as Store, event);
        }
      })
    );
  }
  installed.set(store, automation);
  return automation;
}

function needsSync(rules: HandoffRules, old: Record<string, unknown>, values: Record<string, unknown>): boolean {
  const fields = [...SYNC_FIELDS, ...rules.mappings.map((mapping) => mapping.sourceField)];
  return fields.some((field) => (old[field] ?? null) !== (values[field] ?? null));
}

const BILLING_ENTRY_POINT = /\bBillingMilestones\s*\.\s*onMilestones\s*\(/;

function declaresBillingTrigger(file: string): boolean {
  if (!file.endsWith('.trigger')) return false;
  const source = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  return /\btrigger\s+\w+\s+on\s+Billing_Milestone__c\b/i.test(source) && BILLING_ENTRY_POINT.test(source);
}

const ENTRY_POINT = /\bHandoffTriggers\s*\.\s*(onOpportunities|onLineItems)\s*\(/;

/** `trigger OpportunityTrigger on Opportunity(after insert, after update) { HandoffTriggers.onOpportunities(); }` */
function declaredTrigger(file: string): DeclaredTrigger[] {
  const source = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const header = /\btrigger\s+(\w+)\s+on\s+(\w+)\s*\(([^)]*)\)/i.exec(source);
  const entryPoint = ENTRY_POINT.exec(source)?.[1] as DeclaredTrigger['entryPoint'] | undefined;
  if (!header || !entryPoint) return [];
  const events = header[3]!
    .split(',')
    .map((part) => part.trim().toLowerCase().split(/\s+/))
    .filter(([timing]) => timing === 'after')
    .map(([, operation]) => operation as TriggerEvent['operation']);
  return [{ name: header[1]!, object: header[2]!, events, entryPoint }];
}

/** Every file below the project's package directories. */
export function projectFiles(projectRoot: string): string[] {
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          if (entry.name.startsWith('.') || entry.name === 'node_modules') return [];
          const full = path.join(dir, entry.name);
          return entry.isDirectory() ? walk(full) : [full];
        })
      : [];
  try {
    return packageDirectoriesOf(projectRoot).flatMap(walk);
  } catch {
    return []; // no sfdx-project.json: nothing declared
  }
}
