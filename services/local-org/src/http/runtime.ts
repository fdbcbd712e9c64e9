import type { BulkJobs } from '../bulk/jobs';
import type { OrgSchema } from '../schema/org-schema';
import type { OrgIdentity } from '../store/seed';
import type { Store } from '../store/store';
import type { ApiUsage } from './api-usage';
import type { FaultController } from './faults';
import type { Sessions } from './sessions';

/** What the HTTP layer needs from a running local org. */
export interface OrgRuntime {
  store: Store;
  readonly schema: OrgSchema;
  identity: OrgIdentity;
  sessions: Sessions;
  usage: ApiUsage;
  faults: FaultController;
  bulk: BulkJobs;
  /** Highest API version served, e.g. `66.0`. */
  maxVersion: string;
  /** `http://127.0.0.1:<port>` once listening. */
  baseUrl(): string;
  reset(): void;
}
