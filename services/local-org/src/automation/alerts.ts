import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TriggerEvent } from '../store/hooks';
import type { Store } from '../store/store';

/**
 * Offline twin of the Handoff alerts (the Apex is the product): the Capacity_Forecast_Run__c trigger
 * (CapacityForecastRunTrigger calling ForecastRunAlerts.onRuns) raising RUN_FAILED when a run is written Failed and
 * resolving RUN_FAILED and FORECAST_STALE when one is written Completed, the upsert by Incident_Key__c that counts
 * repeats (HandoffAlerts.apply), and the notification job (HandoffAlertNotifier) sending one digest per opening to
 * the group named in Handoff_Setting__mdt.Default after the commit. The local org has no notification tray: sends are
 * kept in `notifications`, so tests count them.
 */
export interface AlertNotification {
  /** The incident keys the digest is about. */
  keys: string[];
  title: string;
  body: string;
  /** The public group's developer name (Alert_Recipient_Group__c). */
  group: string;
  /** The Handoff_Alert__c Ids stamped Notified_At__c. */
  alertIds: string[];
  sentAt: string;
}

export interface Incident {
  kind: string;
  subject?: string;
  subjectRecordId?: string;
  detail?: string;
  seenAt?: string;
}

export interface AlertOutcome {
  opened: string[];
  repeated: string[];
  resolved: string[];
}

export interface AlertsTwin {
  /** Custom notifications sent (one per job: a digest of the incidents that opened together). */
  readonly notifications: AlertNotification[];
  uninstall(): void;
}

const ALERT = 'Handoff_Alert__c';
const RUN = 'Capacity_Forecast_Run__c';
const TRIGGER_ENTRY = /\bForecastRunAlerts\s*\.\s*onRuns\s*\(/;
const NOTIFICATION_TYPE_FILE = 'Handoff_Alert.notiftype-meta.xml';
const ERROR_LENGTH = 2000;
const DETAIL_LENGTH = 32768;

/** HandoffAlerts.labelOf: what a kind means, in the notification's title. */
const KIND_LABELS: Record<string, string> = {
  RUN_FAILED: 'a capacity forecast run failed',
  FORECAST_STALE: 'the capacity forecast is out of date',
  ENGAGEMENTS_BELOW_BASELINE: 'fewer engagements than expected last week',
  LIFECYCLE_FAILED: 'the handoff automation failed for a deal',
  STAGE_RULE_UNKNOWN: 'a stage rule names a stage the org does not have'
};

/** `KIND` or `KIND:subject` (HandoffAlerts.keyOf). */
export const incidentKey = (kind: string, subject?: string): string => (subject ? `${kind}:${subject}` : kind);

const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** Apex String.abbreviate: cut to `length` with an ellipsis of three dots. */
const abbreviate = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 3)}...`;

/**
 * HandoffAlerts.apply: one query, one upsert. New and resolved incidents open (and are returned in `opened`); open
 * ones count the sightings; resolved keys close open incidents. A key both raised and resolved stays raised.
 */
export function applyAlerts(store: Store, raised: Incident[], resolvedKeys: string[], now: string): AlertOutcome {
  const outcome: AlertOutcome = { opened: [], repeated: [], resolved: [] };
  const sightings = new Map<string, Incident[]>();
  for (const incident of raised) {
    const key = incidentKey(incident.kind, incident.subject);
    sightings.set(key, [...(sightings.get(key) ?? []), incident]);
  }
  const keys = [...new Set([...sightings.keys(), ...resolvedKeys])];
  if (keys.length === 0) return outcome;
  const stored = new Map(
    store
      .query(
        `SELECT Id, Incident_Key__c, Status__c, Occurrences__c, First_Seen__c FROM ${ALERT} WHERE Incident_Key__c IN (${keys.map(literal).join(', ')})`
      )
      .map((row) => [String(row.Incident_Key__c), row])
  );
  const writes: { key: string; values: Record<string, unknown>; list: string[] }[] = [];
  for (const [key, seen] of sightings) {
    const existing = stored.get(key);
    const latest = seen[seen.length - 1]!;
    const values: Record<string, unknown> = {
      Incident_Key__c: key,
      Kind__c: latest.kind,
      Status__c: 'Open',
      Last_Seen__c: latest.seenAt ?? now,
      Detail__c: latest.detail === undefined ? null : abbreviate(latest.detail, DETAIL_LENGTH),
      Subject_Record_Id__c: latest.subjectRecordId ?? null
    };
    const open = existing?.Status__c === 'Open';
    if (open) {
      values.Occurrences__c = Number(existing.Occurrences__c ?? 1) + seen.length;
      values.First_Seen__c = existing.First_Seen__c;
    } else {
      Object.assign(values, {
        Occurrences__c: seen.length,
        First_Seen__c: seen[0]!.seenAt ?? now,
        Notified_At__c: null,
        Resolved_At__c: null,
        Resolved_By__c: null
      });
    }
    writes.push({ key, values, list: open ? outcome.repeated : outcome.opened });
  }
  for (const key of resolvedKeys) {
    if (sightings.has(key) || stored.get(key)?.Status__c !== 'Open') continue;
    writes.push({
      key,
      values: { Incident_Key__c: key, Status__c: 'Resolved', Resolved_At__c: now },
      list: outcome.resolved
    });
  }
  if (writes.length === 0) return outcome;
  const results = store.write(
    writes.map(({ values }) => ({ kind: 'upsert', object: ALERT, externalIdField: 'Incident_Key__c', values })),
    { system: true }
  );
  results.forEach((result, index) => {
    // A failed write is left out of the outcome, never thrown: an alert must not fail the save that saw the condition.
    if (result.success && result.id) writes[index]!.list.push(result.id);
  });
  return outcome;
}

/** Hooks the alert trigger twin into the store when the project declares the trigger and the alert object exists. */
export function installAlerts(store: Store, files: string[]): AlertsTwin | undefined {
  const declared = files.some((file) => file.endsWith('.trigger') && TRIGGER_ENTRY.test(fs.readFileSync(file, 'utf8')));
  if (!declared || !store.schema.object(ALERT) || !store.schema.object(RUN)) return undefined;
  const notificationType = files.some((file) => path.basename(file) === NOTIFICATION_TYPE_FILE);
  const notifications: AlertNotification[] = [];
  /** Alerts opened by the transaction in progress: notified once it commits (the Queueable job). */
  let pending: string[] = [];

  const onRuns = (event: TriggerEvent, hookStore: Store) => {
    if (event.operation !== 'insert' && event.operation !== 'update') return;
    let decisive: { id: string; values: Record<string, unknown> } | undefined;
    for (const record of event.records) {
      const status = record.new?.Status__c;
      if ((status === 'Failed' || status === 'Completed') && status !== record.old?.Status__c) {
        decisive = { id: record.id, values: record.new! };
      }
    }
    if (!decisive) return;
    const now = hookStore.now().toISOString();
    if (decisive.values.Status__c === 'Completed') {
      applyAlerts(hookStore, [], ['RUN_FAILED', 'FORECAST_STALE'], now);
      return;
    }
    const error = decisive.values.Error__c;
    const cause = typeof error === 'string' && error.trim() ? abbreviate(error, ERROR_LENGTH) : 'no Error__c recorded';
    const outcome = applyAlerts(
      hookStore,
      [
        {
          kind: 'RUN_FAILED',
          subjectRecordId: decisive.id,
          detail: `Capacity_Forecast_Run__c ${String(decisive.values.Name)} failed: ${cause}`,
          seenAt: now
        }
      ],
      [],
      now
    );
    pending.push(...outcome.opened);
  };

  const deliver = (hookStore: Store) => {
    const alertIds = pending;
    pending = [];
    if (alertIds.length === 0) return;
    const alerts = hookStore.query(
      `SELECT Id, Incident_Key__c, Kind__c, Detail__c FROM ${ALERT} WHERE Id IN (${alertIds.map(literal).join(', ')}) AND Status__c = 'Open' AND Notified_At__c = null ORDER BY First_Seen__c, Name`
    );
    if (alerts.length === 0) return;
    const setting = hookStore.query(
      "SELECT Alert_Recipient_Group__c FROM Handoff_Setting__mdt WHERE DeveloperName = 'Default'"
    )[0];
    const group = setting?.Alert_Recipient_Group__c ? String(setting.Alert_Recipient_Group__c) : '';
    const now = hookStore.now().toISOString();
    const problem = !group
      ? 'no recipient: set Handoff_Setting__mdt.Default Alert_Recipient_Group__c or Alert_Email_Addresses__c'
      : !notificationType
        ? `custom notification type Handoff_Alert is not deployed`
        : undefined;
    if (!problem) {
      notifications.push({
        keys: alerts.map((alert) => String(alert.Incident_Key__c)),
        title:
          alerts.length === 1
            ? `Handoff alert: ${KIND_LABELS[String(alerts[0]!.Kind__c)] ?? String(alerts[0]!.Kind__c)}`
            : `${alerts.length} Handoff alerts opened`,
        body: alerts
          .map((alert) => `${String(alert.Kind__c)}: ${String(alert.Detail__c ?? alert.Incident_Key__c)}`)
          .join('\n'),
        group,
        alertIds: alerts.map((alert) => String(alert.Id)),
        sentAt: now
      });
    }
    hookStore.write(
      alerts.map((alert) => ({
        kind: 'update' as const,
        object: ALERT,
        id: String(alert.Id),
        values: problem
          ? { Detail__c: abbreviate(`${String(alert.Detail__c ?? '')}\nNot notified: ${problem}`, DETAIL_LENGTH) }
          : { Notified_At__c: now }
      })),
      { system: true }
    );
  };

  const unregister = store.hooks.register(RUN, {
    beforeCommit: (event, hookStore) => onRuns(event, hookStore as Store),
    afterWrite: (_event, hookStore) => deliver(hookStore as Store)
  });
  return {
    notifications,
    uninstall() {
      unregister();
    }
  };
}
