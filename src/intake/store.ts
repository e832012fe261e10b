import { randomUUID } from 'node:crypto';
import type { CanonicalLead, Provider } from '../core/lead.ts';
import { emailDomain } from '../core/lead.ts';
import type { AuditLog } from '../store/audit.ts';
import { withShortLockWaits, type Db } from '../store/db.ts';
import { enqueue, type JobKind } from '../jobs/queue.ts';
import { newLeadId } from './ids.ts';
import { contentHash, type IdempotencyKey } from './idempotency.ts';

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

/** An event whose lead is built later by a job (it carries only ids); its lead id is allocated now so the 202 can name it. */
export interface DeferredEvent {
  provider: Provider;
  key: string;
  rawBody: string;
  remoteIp: string;
  nowMs: number;
  inputHash: string;
  job: { kind: JobKind; payload: Record<string, unknown> };
  output: Record<string, unknown>;
}

/** The lead a deferred event's job built, created under the id allocated at intake. */
export interface DeferredLead {
  leadId: string;
  correlationId: string;
  provider: Provider;
  lead: CanonicalLead;
  eventKey: string;
  /** A lead with the same email created at or after this instant makes this one a duplicate. */
  sinceIso: string;
  nowMs: number;
}

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

  const byEmail = db.prepare('SELECT id FROM leads WHERE email = ? AND created_at >= ? ORDER BY created_at, rowid LIMIT 1').pluck();
  const repointEvent = db.prepare('UPDATE inbound_events SET lead_id = ? WHERE idempotency_key = ?');

  const insertLeadWithJob = (leadId: string, correlationId: string, provider: Provider, lead: CanonicalLead, hash: string, at: string) => {
    insertLead.run(leadId, provider, lead.email, emailDomain(lead.email), lead.submitter_ip, hash, JSON.stringify(lead), correlationId, at, at);
    enqueue(db, { kind: 'process_lead', lead_id: leadId, correlation_id: correlationId });
  };

  /** The inbound event and its `received` audit row, under a new lead id: both writers start with it. */
  const receive = (provider: Provider, key: (leadId: string) => string, e: { nowMs: number; remoteIp: string; rawBody: string; inputHash: string; output: Record<string, unknown> }) => {
    const leadId = newLeadId(e.nowMs);
    const correlationId = randomUUID();
    const at = new Date(e.nowMs).toISOString();
    insertEvent.run(`ev_${randomUUID()}`, provider, key(leadId), at, e.remoteIp, e.rawBody, leadId, correlationId);
    audit.record({ lead_id: leadId, correlation_id: correlationId, stage: 'intake', event: 'received', input_hash: e.inputHash, output: e.output, latency_ms: null });
    return { leadId, correlationId, at };
  };

  /** Runs `write` IMMEDIATE; another connection committing the same key between our statements makes it the duplicate it is. */
  const onceByKey = (write: () => StoreOutcome, prior: () => string | undefined): StoreOutcome => {
    try {
      return write();
    } catch (err) {
      const leadId = isUniqueViolation(err) ? prior() : undefined;
      if (leadId) return { status: 'duplicate', leadId };
      throw err;
    }
  };

  const existing = (s: NewSubmission): string | undefined =>
    s.key.kind === 'content' ? (byHash.get(s.contentHash, s.contentSinceIso, s.provider) as string | undefined) : (byKey.get(s.key.key) as string | undefined);

  // Check and insert in one IMMEDIATE transaction: the write lock is taken before the check, so two processes
  // (server and `ingest`) cannot both see "new"; within one process better-sqlite3 never interleaves.
  const write = db.transaction((s: NewSubmission): StoreOutcome => {
    const prior = existing(s);
    if (prior) return { status: 'duplicate', leadId: prior };
    const key = (leadId: string) => (s.key.kind === 'content' ? `content:${s.provider}:${s.contentHash}:${leadId}` : s.key.key);
    const { leadId, correlationId, at } = receive(s.provider, key, s);
    insertLeadWithJob(leadId, correlationId, s.provider, s.lead, s.contentHash, at);
    return { status: 'enqueued', leadId, correlationId };
  });

  const writeDeferred = db.transaction((e: DeferredEvent): StoreOutcome => {
    const prior = byKey.get(e.key) as string | undefined;
    if (prior) return { status: 'duplicate', leadId: prior };
    const { leadId, correlationId } = receive(e.provider, () => e.key, e);
    enqueue(db, { kind: e.job.kind, lead_id: leadId, correlation_id: correlationId, payload: e.job.payload });
    return { status: 'enqueued', leadId, correlationId };
  });

  return {
    save: (s: NewSubmission): StoreOutcome => onceByKey(() => withShortLockWaits(db, () => write.immediate(s)), () => existing(s)),
    saveDeferred: (e: DeferredEvent): StoreOutcome => onceByKey(() => withShortLockWaits(db, () => writeDeferred.immediate(e)), () => byKey.get(e.key) as string | undefined),

    /**
     * Creates a deferred event's lead and its process_lead job; call inside the job's transaction. The same person
     * seen within the window under any provider (a contact created, then its email changed) is a duplicate: the
     * event is re-pointed at that lead so a redelivery answers with it, and nothing is created.
     */
    createDeferredLead(d: DeferredLead): { status: 'created' } | { status: 'duplicate'; leadId: string } {
      const prior = byEmail.get(d.lead.email, d.sinceIso) as string | undefined;
      if (prior) {
        repointEvent.run(prior, d.eventKey);
        return { status: 'duplicate', leadId: prior };
      }
      insertLeadWithJob(d.leadId, d.correlationId, d.provider, d.lead, contentHash(d.lead), new Date(d.nowMs).toISOString());
      return { status: 'created' };
    },
  };
}
export type IntakeStore = ReturnType<typeof createIntakeStore>;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
