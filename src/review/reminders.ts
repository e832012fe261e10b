import { dedupeKey } from '../pipeline/commit.ts';
import type { Policy } from '../policy/schema.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

interface OverdueRow { id: string; lead_id: string; correlation_id: string; created_at: string }

/**
 * Queues one reminder per review that has waited longer than the policy's review SLA, so no
 * held lead is forgotten. The outbox dedupe key makes it once per decision however often this runs.
 */
export function queueOverdueReviewReminders(db: Db, audit: AuditLog, policy: Policy, now = Date.now()): number {
  const cutoff = new Date(now - policy.sla.review_minutes * 60_000).toISOString();
  return db.transaction(() => {
    const overdue = db.prepare(`SELECT d.id, d.lead_id, d.correlation_id, d.created_at FROM decisions d
      WHERE d.status = 'pending_review' AND d.created_at < ?
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = d.id || ':slack_review_reminder')`).all(cutoff) as OverdueRow[];
    const stamp = new Date(now).toISOString();
    const insert = db.prepare(`INSERT OR IGNORE INTO outbox (lead_id, decision_id, kind, dedupe_key, payload_json, next_attempt_at, correlation_id, created_at, updated_at)
      VALUES (?, ?, 'slack_review_reminder', ?, '{}', ?, ?, ?, ?)`);
    for (const d of overdue) {
      insert.run(d.lead_id, d.id, dedupeKey('slack_review_reminder', d.lead_id, d.id), now, d.correlation_id, stamp, stamp);
      const waited = Math.round((now - Date.parse(d.created_at)) / 60_000);
      audit.record({ lead_id: d.lead_id, correlation_id: d.correlation_id, stage: 'review', event: 'review_overdue', reason: `waiting ${waited} min, SLA ${policy.sla.review_minutes} min` });
    }
    return overdue.length;
  })();
}
