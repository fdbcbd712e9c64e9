import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { installAutomation } from './automation';
import { installDuplicateRules } from './store/duplicate-rules';
import { readDuplicateRules } from '@handoff/schema';
import {
  CapacityForecastRequests,
  declaresCapacityRequests,
  type CapacityServiceEndpoint
} from './automation/capacity-request';
import { projectFiles } from './automation/install';
import { BulkJobs } from './bulk/jobs';
import { ApiUsage } from './http/api-usage';
import { createApp } from './http/app';
import { FaultController } from './http/faults';
import { Router } from './http/router';
import { bulkRoutes } from './http/routes/bulk';
import { collectionRoutes } from './http/routes/collections';
import { compositeRoutes } from './http/routes/composite';
import { queryRoutes } from './http/routes/query';
import { recordRoutes } from './http/routes/records';
import { resourceRoutes } from './http/routes/resources';
import { treeRoutes } from './http/routes/tree';
import type { OrgRuntime } from './http/runtime';
import { Sessions } from './http/sessions';
import { OrgSchema } from './schema/org-schema';
import { Database } from './store/database';
import type { EventBus } from './store/event-bus';
import { seedOrg, type OrgIdentity } from './store/seed';
import { Store } from './store/store';
import { clearTables, syncTables } from './store/tables';

export interface LocalOrgOptions {
  /** The SFDX project whose schema the org serves (the folder holding sfdx-project.json). */
  projectRoot: string;
  /** Where the org keeps its SQLite database; reusing it keeps records, tokens and jobs. */
  dataDir: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The admin user's username (default admin@handoff.local-org). */
  username?: string;
  /** A fixed access token (`00D...!...`); by default one is issued and kept in the data directory. */
  accessToken?: string;
  /** Clock for system fields and date literals (default: the real time). */
  now?: () => Date;
  /** Highest API version served (default: sfdx-project.json's sourceApiVersion, else 66.0). */
  apiVersion?: string;
  /** DailyApiRequests maximum (default 100,000). */
  dailyApiRequests?: number;
  /** Delay before a Bulk API job is processed (default 0: done before UploadComplete is answered). */
  bulkDelayMs?: number;
  /**
   * Custom permissions the admin user holds (`$Permission.X` is true for these, false for every other). Granting
   * `Handoff_Bypass_Automation` also skips the Handoff automation, as HandoffTriggers does.
   */
  customPermissions?: string[];
  /**
   * The capacity service the Handoff_Capacity_Service named credential points at. With it, lifecycle events reach
   * the offline twin of HandoffLifecycleEventTrigger and CapacityForecastRequest, which asks that service for a run
   * (see `useCapacityService`).
   */
  capacityService?: CapacityServiceEndpoint;
}

export interface LocalOrg {
  /** `http://127.0.0.1:<port>`: the instance URL (and login URL) for jsforce and the sf CLI. */
  readonly url: string;
  /** The newest access token (a refresh replaces it; the token-expiry fault revokes it). */
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly orgId: string;
  readonly userId: string;
  readonly username: string;
  readonly apiVersion: string;
  /** Records, hooks and in-process SOQL. */
  readonly store: Store;
  /** Fault injection: `faults.set({ failNext: { count: 2, status: 503 } })`, `faults.clear()`. */
  readonly faults: FaultController;
  /** DailyApiRequests: `used` and `max` can be set to test the API limit. */
  readonly apiUsage: ApiUsage;
  /**
   * Platform event delivery: `events.subscribe('Handoff_Lifecycle_Event__e', handler)` receives, after each commit,
   * the events it published, in batches of at most 200; `events.idle()` waits until they are handled.
   */
  readonly events: EventBus;
  /**
   * The twin of the lifecycle event subscriber (HandoffLifecycleEventTrigger enqueuing CapacityForecastRequest), when
   * the project declares it: the requests it sent, and `idle()`.
   */
  readonly capacityRequests: CapacityForecastRequests | undefined;
  /**
   * Points the Handoff_Capacity_Service named credential at a capacity service (undefined: none), so that lifecycle
   * events request forecast runs from it. Throws when the project declares no such subscriber.
   */
  useCapacityService(endpoint: CapacityServiceEndpoint | undefined): void;
  /**
   * Schema and seeding problems (unreadable metadata, bad custom metadata records) and the validation rules, formula
   * fields and roll-ups the org cannot evaluate, with the reason.
   */
  readonly problems: string[];
  /** Deletes every record and job, then seeds the org again (same org, user and tokens). */
  reset(): void;
  /** Reads force-app again and adds tables and columns for new objects and fields. */
  reloadSchema(): void;
  close(): Promise<void>;
}

function sourceApiVersion(projectRoot: string): string {
  try {
    const project = JSON.parse(fs.readFileSync(path.join(projectRoot, 'sfdx-project.json'), 'utf8')) as {
      sourceApiVersion?: string;
    };
    return project.sourceApiVersion ?? '66.0';
  } catch {
    return '66.0';
  }
}

/** Starts a local org: a schema-faithful stand-in for the Salesforce REST API on 127.0.0.1. */
export async function createLocalOrg(options: LocalOrgOptions): Promise<LocalOrg> {
  const projectRoot = path.resolve(options.projectRoot);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const username = options.username ?? 'admin@handoff.local-org';
  const problems: string[] = [];
  let schema = OrgSchema.load(projectRoot);
  problems.push(...schema.schema.problems.map((problem) => `${problem.file}:${problem.line} ${problem.message}`));
  problems.push(...schema.formulas.problems);
  const db = new Database(path.join(options.dataDir, 'org.sqlite'));
  syncTables(db, schema);
  let identity: OrgIdentity | undefined;
  const permissions: ReadonlySet<string> = new Set((options.customPermissions ?? []).map((name) => name.toLowerCase()));
  const store = new Store(db, schema, { now, userId: () => identity?.userId ?? '', permissions: () => permissions });
  // Duplicate rules (duplicateRules/ with their matchingRules/): API writes of a duplicate are refused as in the org.
  // The package ships them inactive (a duplicate rule cannot deploy active beside a matching rule that is still
  // activating); the local org runs them as activated, as the install steps in the README leave the org.
  try {
    installDuplicateRules(
      store,
      readDuplicateRules(projectRoot).map((rule) => ({ ...rule, active: true }))
    );
  } catch (error) {
    problems.push(`duplicate rules: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Handoff automation: the project's declared triggers, run offline by the rules interpreter (src/automation).
  const automation = installAutomation(store, projectRoot);
  if (permissions.has('handoff_bypass_automation')) automation.bypassed = true;
  // The lifecycle event subscriber and its callout job, when the project declares them and the run log exists.
  const capacityRequests =
    declaresCapacityRequests(projectFiles(projectRoot)) && store.schema.object('Capacity_Forecast_Run__c')
      ? new CapacityForecastRequests(store)
      : undefined;
  const useCapacityService = (endpoint: CapacityServiceEndpoint | undefined) => {
    if (!capacityRequests) {
      throw new Error(
        `${projectRoot} declares no Handoff_Lifecycle_Event__e trigger calling CapacityForecastRequest.onLifecycleEvents`
      );
    }
    capacityRequests.configure(endpoint);
  };
  if (options.capacityService) useCapacityService(options.capacityService);
  identity = seedOrg(store, projectRoot, username, problems);
  store.recalculate();
  const sessions = new Sessions(db, identity.orgId, options.accessToken);
  const usage = new ApiUsage(options.dailyApiRequests ?? 100_000);
  const faults = new FaultController(() => sessions.revokeAll());
  store.guard = faults.guard;
  const bulk = new BulkJobs(db, store, faults, { delayMs: options.bulkDelayMs ?? 0 });
  let url = '';

  const reset = () => {
    db.transaction(() => clearTables(db, store.schema));
    store.queries.clearCursors();
    usage.reset();
    faults.clear();
    identity = seedOrg(store, projectRoot, username, problems, identity);
  };

  const runtime: OrgRuntime = {
    store,
    get schema() {
      return store.schema;
    },
    get identity() {
      return identity!;
    },
    sessions,
    usage,
    faults,
    bulk,
    maxVersion: options.apiVersion ?? sourceApiVersion(projectRoot),
    baseUrl: () => url,
    reset
  };
  const router = new Router();
  resourceRoutes(router, runtime);
  recordRoutes(router, runtime);
  collectionRoutes(router, runtime);
  compositeRoutes(router, runtime);
  treeRoutes(router, runtime);
  queryRoutes(router, runtime);
  bulkRoutes(router, runtime);
  const server = http.createServer(createApp(runtime, router));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    get accessToken() {
      return sessions.accessToken;
    },
    refreshToken: sessions.refreshToken,
    get orgId() {
      return identity!.orgId;
    },
    get userId() {
      return identity!.userId;
    },
    username,
    apiVersion: runtime.maxVersion,
    store,
    faults,
    apiUsage: usage,
    events: store.events,
    capacityRequests,
    useCapacityService,
    problems,
    reset,
    reloadSchema() {
      schema = OrgSchema.load(projectRoot);
      syncTables(db, schema);
      store.useSchema(schema);
      store.recalculate();
      for (const problem of schema.formulas.problems) if (!problems.includes(problem)) problems.push(problem);
    },
    async close() {
      await capacityRequests?.close();
      await store.events.idle();
      await bulk.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    }
  };
}
