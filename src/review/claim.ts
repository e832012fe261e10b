import { AppError } from '../core/errors.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { latestDecision } from '../store/decisions.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';

export type ClaimOutcome =
  | { outcome: 'claimed'; lead_id: string; user_id: string }
  | { outcome: 'already_claimed'; lead_id: string; by: string; at: string };

interface ClaimRow { user_id: string; claimed_at: string }

/**
 * "Take this lead": the first click wins (INSERT … ON CONFLICT DO NOTHING RETURNING), and only the
 * winner queues the CRM owner change and the card update. Open to anyone who can see the card:
 * claiming is how reps pick up work, and Reassign covers mistakes.
 */
export function claimLead(db: Db, audit: AuditLog, leadId: string, userId: string): ClaimOutcome {
  return db.transaction((): ClaimOutcome => {
    const now = new Date().toISOString();
    const won = db
      .prepare('INSERT INTO lead_claims (lead_id, user_id, claimed_at, first_claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (lead_id) DO NOTHING RETURNING user_id')
      .get(leadId, userId, now, now);
    if (!won) {
      const row = db.prepare('SELECT user_id, claimed_at FROM lead_claims WHERE lead_id = ?').get(leadId) as ClaimRow;
      return { outcome: 'already_claimed', lead_id: leadId, by: row.user_id, at: row.claimed_at };
    }
    assignEffects(db, audit, leadId, userId, 'lead_claimed', userId, now);
    return { outcome: 'claimed', lead_id: leadId, user_id: userId };
  }).immediate();
}

/** Moves the lead to another owner (the caller checks who may); same owner again changes nothing. */
export function reassignLead(db: Db, audit: AuditLog, leadId: string, newOwner: string, actor: string): boolean {
  return db.transaction((): boolean => {
    const now = new Date().toISOString();
    const changed = db
      .prepare(`INSERT INTO lead_claims (lead_id, user_id, claimed_at, first_claimed_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (lead_id) DO UPDATE SET user_id = excluded.user_id, claimed_at = excluded.claimed_at WHERE user_id != excluded.user_id`)
      .run(leadId, newOwner, now, now).changes > 0;
    if (changed) assignEffects(db, audit, leadId, newOwner, 'lead_reassigned', actor, now);
    return changed;
  }).immediate();
}

function assignEffects(db: Db, audit: AuditLog, leadId: string, owner: string, event: string, actor: string, now: string): void {
  const decision = latestDecision(db, leadId);
  if (!decision) throw new AppError('not_found', `lead ${leadId} has no decision yet`);
  const base = { lead_id: leadId, decision_id: decision.row.id, correlation_id: decision.row.correlation_id };
  enqueueEffect(db, { ...base, kind: 'crm_assign_owner', dedupe_key: `${leadId}:crm_assign_owner:${owner}:${now}`, payload: { slack_user_id: owner } });
  enqueueEffect(db, { ...base, kind: 'slack_update_card', dedupe_key: `${leadId}:slack_update_card:${event}:${now}`, payload: { reason: event } });
  audit.record({ lead_id: leadId, correlation_id: decision.row.correlation_id, stage: 'review', event, actor, output: { owner } });
}
