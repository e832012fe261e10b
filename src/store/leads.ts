import { CanonicalLeadSchema, type CanonicalLead, type Provider } from '../core/lead.ts';
import type { Db } from './db.ts';

export type LeadStatus = 'received' | 'processing' | 'held' | 'pending_review' | 'routed' | 'rejected' | 'parked' | 'failed' | 'erased';

/** Statuses a run may still overwrite (park, processing, failed): once decided, only a new decision changes the status. */
const UNDECIDED_STATUSES: readonly LeadStatus[] = ['received', 'processing', 'parked', 'failed'];
const UNDECIDED_SQL = `(${UNDECIDED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export interface LeadRecord {
  id: string;
  provider: Provider;
  lead: CanonicalLead;
  status: LeadStatus;
  correlation_id: string;
  created_at: string;
}

interface LeadRow {
  id: string;
  provider: Provider;
  data_json: string;
  status: LeadStatus;
  correlation_id: string;
  created_at: string;
}

/** Reads leads back from the store, re-validating the JSON we wrote (parse, don't trust). */
export class LeadStore {
  constructor(private readonly db: Db) {}

  /** The lead, or null when there is none or it was erased (see erasedAt). */
  get(id: string): LeadRecord | null {
    const row = this.db.prepare('SELECT id, provider, data_json, status, correlation_id, created_at FROM leads WHERE id = ?').get(id) as LeadRow | undefined;
    return row && row.status !== 'erased' ? toRecord(row) : null;
  }

  /** When the lead was erased (its tombstone's last update), or null. */
  erasedAt(id: string): string | null {
    return (this.db.prepare("SELECT updated_at FROM leads WHERE id = ? AND status = 'erased'").pluck().get(id) as string | undefined) ?? null;
  }

  /** Most recent lead for an email address (for `/triage <email>` and `reprocess <email>`). */
  latestByEmail(email: string): LeadRecord | null {
    const row = this.db
      .prepare('SELECT id, provider, data_json, status, correlation_id, created_at FROM leads WHERE email = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .get(email.toLowerCase()) as LeadRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Sets a run's status (processing, parked, failed) on a lead that has no decision yet; a decided lead keeps its own. */
  setStatusIfUndecided(id: string, status: LeadStatus): void {
    this.db.prepare(`UPDATE leads SET status = ?, updated_at = ? WHERE id = ? AND status IN ${UNDECIDED_SQL}`).run(status, new Date().toISOString(), id);
  }

  /**
   * Other leads from this submitter IP / email domain in the window ending at `untilIso`.
   * Counting only earlier leads keeps a reprocess of an old lead giving the same answer.
   */
  countPriorFromIp(ip: string, sinceIso: string, untilIso: string, excludeId: string): number {
    return this.db.prepare('SELECT COUNT(*) FROM leads WHERE submitter_ip = ? AND created_at >= ? AND created_at <= ? AND id != ?').pluck().get(ip, sinceIso, untilIso, excludeId) as number;
  }

  countPriorFromDomain(domain: string, sinceIso: string, untilIso: string, excludeId: string): number {
    return this.db.prepare('SELECT COUNT(*) FROM leads WHERE email_domain = ? AND created_at >= ? AND created_at <= ? AND id != ?').pluck().get(domain, sinceIso, untilIso, excludeId) as number;
  }
}

function toRecord(row: LeadRow): LeadRecord {
  return {
    id: row.id,
    provider: row.provider,
    lead: CanonicalLeadSchema.parse(JSON.parse(row.data_json)),
    status: row.status,
    correlation_id: row.correlation_id,
    created_at: row.created_at,
  };
}
