import { enqueueEffect } from '../outbox/enqueue.ts';
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
    const overdue = db.prepare("SELECT id, lead_id, correlation_id, created_at FROM decisions WHERE status = 'pending_review' AND created_at < ?").all(cutoff) as OverdueRow[];
    let queued = 0;
    for (const d of overdue) {
      const key = dedupeKey('slack_review_reminder', d.lead_id, d.id);
      if (!enqueueEffect(db, { lead_id: d.lead_id, decision_id: d.id, kind: 'slack_review_reminder', dedupe_key: key, payload: {}, correlation_id: d.correlation_id }, now)) continue;
      queued++;
      const waited = Math.round((now - Date.parse(d.created_at)) / 60_000);
      audit.record({ lead_id: d.lead_id, correlation_id: d.correlation_id, stage: 'review', event: 'review_overdue', reason: `waiting ${waited} min, SLA ${policy.sla.review_minutes} min` });
    }
    return queued;
  })();
}
