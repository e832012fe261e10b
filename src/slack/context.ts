import type { Logger } from '../observability/logger.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { DecideFn } from '../pipeline/stages.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { LeadStore } from '../store/leads.ts';
import type { Approvers } from './approvers.ts';

export type ReprocessFn = (leadId: string, actor: string) => { job_id: number };

/** What every listener receives; built once in createSlack. */
export interface SlackContext {
  db: Db;
  audit: AuditLog;
  leads: LeadStore;
  loaded: LoadedPolicy;
  logger: Logger;
  decide: DecideFn;
  reprocess: ReprocessFn;
  approvers: Approvers;
}
