import { enqueueEffect } from '../outbox/enqueue.ts';
import { isKillSwitchOn } from '../pipeline/kill-switch.ts';
import type { Policy, QueueName } from '../policy/schema.ts';
import { FIRST_TOUCH_SQL } from '../review/stats.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

const MINUTE = 60_000;
/** Leads that crossed the SLA longer ago than this are left alone, so enabling nudges (or a long outage) does not flood old threads. */
export const NUDGE_LOOKBACK_MS = 24 * 60 * MINUTE;

export interface UnclaimedLead {
  lead_id: string;
  correlation_id: string;
  created_at: string;
  decision_id: string;
  queue: QueueName;
  channel: string;
  ts: string;
}

/**
 * A lead still waiting for its first touch: routed by the system's own decision (not held, not in
 * review, not rejected, not approved by a person), its card posted in the queue's channel, and
 * nobody has claimed it or acted on it in Slack (stats' FIRST_TOUCH_SQL).
 */
// `narrow` is one of the two constant conditions below, never caller text.
const unclaimedSql = (narrow: string) => `SELECT l.id AS lead_id, l.correlation_id, l.created_at, d.id AS decision_id,
    json_extract(d.decision_json, '$.route') AS queue, c.channel, c.ts
  FROM leads l
  JOIN slack_cards c ON c.lead_id = l.id AND c.card = 'lead'
  JOIN decisions d ON d.lead_id = l.id AND d.version = (SELECT MAX(version) FROM decisions WHERE lead_id = l.id)
  WHERE l.status = 'routed' AND ${narrow} AND d.status = 'executed' AND d.decided_by = 'system'
    AND json_extract(d.decision_json, '$.route') IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM lead_claims k WHERE k.lead_id = l.id)
    AND (${FIRST_TOUCH_SQL}) IS NULL`;

/** The lead if it still waits for a first touch (checked again at send time: someone may have taken it since). */
export function unclaimedLead(db: Db, leadId: string): UnclaimedLead | null {
  return (db.prepare(unclaimedSql('l.id = ?')).get(leadId) as UnclaimedLead | undefined) ?? null;
}

export const waitedMinutes = (createdAt: string, now: number) => Math.max(0, Math.round((now - Date.parse(createdAt)) / MINUTE));

/**
 * Queues one nudge per routed lead that nobody has claimed within the policy's first-touch SLA,
 * in the card's thread. The dedupe key makes it once per lead however often this runs; nothing
 * is queued while the kill switch is on.
 */
export function queueFirstTouchNudges(db: Db, audit: AuditLog, policy: Policy, now = Date.now()): number {
  const sla = policy.sla.first_touch_minutes;
  const cutoff = new Date(now - sla * MINUTE).toISOString();
  const oldest = new Date(now - sla * MINUTE - NUDGE_LOOKBACK_MS).toISOString();
  return db.transaction(() => {
    if (isKillSwitchOn(db, policy)) return 0;
    const due = db.prepare(`${unclaimedSql('l.created_at < ? AND l.created_at >= ?')} ORDER BY l.created_at`).all(cutoff, oldest) as UnclaimedLead[];
    let queued = 0;
    for (const lead of due) {
      const waited = waitedMinutes(lead.created_at, now);
      const effect = {
        lead_id: lead.lead_id, decision_id: lead.decision_id, kind: 'slack_first_touch_nudge' as const,
        dedupe_key: `${lead.lead_id}:slack_first_touch_nudge`, payload: { waited_minutes: waited }, correlation_id: lead.correlation_id,
      };
      if (!enqueueEffect(db, effect, now)) continue;
      queued++;
      audit.record({
        lead_id: lead.lead_id, correlation_id: lead.correlation_id, stage: 'review', event: 'first_touch_overdue',
        reason: `unclaimed for ${waited} min, SLA ${sla} min`, output: { queue: lead.queue, channel: lead.channel, thread_ts: lead.ts },
      });
    }
    return queued;
  })();
}
