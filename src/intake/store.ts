import { randomUUID } from 'node:crypto';
import type { CanonicalLead, Provider } from '../core/lead.ts';
import { emailDomain } from '../core/lead.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { enqueue } from '../jobs/queue.ts';
import { newLeadId } from './ids.ts';
import type { IdempotencyKey } from './idempotency.ts';

export interface NewSubmission {
  provider: Provider;
  key: IdempotencyKey;
  contentHash: string;
  /** Only duplicates created at or after this instant count for content-hash keys (the 24-hour window). */
  contentSinceIso: string;
  lead: CanonicalLead;
  rawBody: string;
  remoteIp: string;
  nowMs: number;
  inputHash: string;
  output: Record<string, unknown>;
}

export type StoreOutcome = { status: 'enqueued'; leadId: string; correlationId: string } | { status: 'duplicate'; leadId: string };

/** The intake's writes, with statements prepared once: the hot path runs at webhook rate. */
export function createIntakeStore(db: Db, audit: AuditLog) {
  const byKey = db.prepare('SELECT lead_id FROM inbound_events WHERE idempotency_key = ?').pluck();
  const byHash = db
    .prepare('SELECT id FROM leads WHERE content_hash = ? AND created_at >= ? AND provider = ? ORDER BY created_at, rowid LIMIT 1')
    .pluck();
  const insertEvent = db.prepare(`INSERT INTO inbound_events (id, provider, idempotency_key, received_at, remote_ip, raw_body, lead_id, correlation_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertLead = db.prepare(`INSERT INTO leads
    (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)`);

  const existing = (s: NewSubmission): string | undefined =>
    s.key.kind === 'content' ? (byHash.get(s.contentHash, s.contentSinceIso, s.provider) as string | undefined) : (byKey.get(s.key.key) as string | undefined);

  // Check and insert in one IMMEDIATE transaction: the write lock is taken before the check, so two processes
  // (server and `ingest`) cannot both see "new"; within one process better-sqlite3 never interleaves.
  const write = db.transaction((s: NewSubmission): StoreOutcome => {
    const prior = existing(s);
    if (prior) return { status: 'duplicate', leadId: prior };
    const leadId = newLeadId(s.nowMs);
    const correlationId = randomUUID();
    const at = new Date(s.nowMs).toISOString();
    const key = s.key.kind === 'content' ? `content:${s.provider}:${s.contentHash}:${leadId}` : s.key.key;
    insertLead.run(leadId, s.provider, s.lead.email, emailDomain(s.lead.email), s.lead.submitter_ip, s.contentHash, JSON.stringify(s.lead), correlationId, at, at);
    insertEvent.run(`ev_${randomUUID()}`, s.provider, key, at, s.remoteIp, s.rawBody, leadId, correlationId);
    audit.record({ lead_id: leadId, correlation_id: correlationId, stage: 'intake', event: 'received', input_hash: s.inputHash, output: s.output, latency_ms: null });
    enqueue(db, { kind: 'process_lead', lead_id: leadId, correlation_id: correlationId });
    return { status: 'enqueued', leadId, correlationId };
  });

  return {
    save(s: NewSubmission): StoreOutcome {
      try {
        return write.immediate(s);
      } catch (err) {
        // Another connection committed the same key between our statements: answer as the duplicate it is.
        if (isUniqueViolation(err)) {
          const prior = existing(s);
          if (prior) return { status: 'duplicate', leadId: prior };
        }
        throw err;
      }
    },
  };
}
export type IntakeStore = ReturnType<typeof createIntakeStore>;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
