import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { emailHash } from './person.ts';
import { queueErasure } from './eraseJob.ts';

/** Leads one run queues for erasure at most; the rest wait for the next run (hourly). */
export const RETENTION_BATCH = 2_000;
const LAST_RUN = 'retention_last_run';
const HOUR = 3_600_000;

export const retentionCutoff = (retentionDays: number, now: number): string => new Date(now - retentionDays * 86_400_000).toISOString();

/** Leads older than the retention, not yet erased nor waiting for it, oldest first. */
function expired(db: Db, cutoff: string, limit: number): Array<{ id: string; email: string }> {
  return db.prepare(`SELECT id, email FROM leads WHERE created_at < ? AND status != 'erased'
      AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'erase_lead' AND j.lead_id = leads.id AND j.status IN ('queued', 'running'))
    ORDER BY created_at LIMIT ?`).all(cutoff, limit) as Array<{ id: string; email: string }>;
}

export interface RetentionRun { cutoff: string; queued: number; more: boolean }

/**
 * Queues the erasure of every lead older than `retention_days` (bounded per run), as an erasure on request would
 * erase it. Idempotent: a lead already erased or queued is not picked again.
 */
export function runRetention(db: Db, audit: AuditLog, retentionDays: number, now = Date.now()): RetentionRun {
  const cutoff = retentionCutoff(retentionDays, now);
  return db.transaction((): RetentionRun => {
    const leads = expired(db, cutoff, RETENTION_BATCH + 1);
    const batch = leads.slice(0, RETENTION_BATCH);
    let queued = 0;
    for (const l of batch) queued += queueErasure(db, [l.id], { why: 'retention', by: 'system', emailHash: emailHash(l.email) });
    db.prepare('DELETE FROM enrichment_cache WHERE expires_at <= ?').run(now);
    db.prepare(`INSERT INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, 'system', ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(LAST_RUN, String(now), new Date(now).toISOString());
    const run = { cutoff, queued, more: leads.length > RETENTION_BATCH };
    audit.record({ lead_id: null, correlation_id: 'retention', stage: 'retention', event: 'retention_run', output: run });
    return run;
  })();
}

/** True when no run has happened in the last hour (the process was down when one was due). */
export function retentionDue(db: Db, now = Date.now()): boolean {
  const last = Number(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(LAST_RUN) ?? 0);
  return now - last >= HOUR;
}

export interface RetentionOutlook { retentionDays: number; cutoff: string; expiredNow: number; next: { lead_created_at: string; erased_from: string } | null }

/** What retention will forget and when, for check-config: how many leads are past it now, and when the next one will be. */
export function retentionOutlook(db: Db, retentionDays: number, now = Date.now()): RetentionOutlook {
  const cutoff = retentionCutoff(retentionDays, now);
  const expiredNow = db.prepare("SELECT COUNT(*) FROM leads WHERE created_at < ? AND status != 'erased'").pluck().get(cutoff) as number;
  const nextAt = db.prepare("SELECT MIN(created_at) FROM leads WHERE created_at >= ? AND status != 'erased'").pluck().get(cutoff) as string | null;
  return {
    retentionDays, cutoff, expiredNow,
    next: nextAt ? { lead_created_at: nextAt, erased_from: new Date(Date.parse(nextAt) + retentionDays * 86_400_000).toISOString() } : null,
  };
}
