import { AppError } from '../core/errors.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';
import { auditAssignment, enqueueAssignmentEffects } from '../routing/commitAssignment.ts';
import { currentAssignment, markAccepted, recordAssignment } from '../routing/ledger.ts';
import type { Assignment } from '../routing/assign.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { latestDecision } from '../store/decisions.ts';

export type ClaimOutcome =
  | { outcome: 'claimed'; lead_id: string; user_id: string }
  | { outcome: 'already_claimed'; lead_id: string; by: string; at: string };

interface ClaimRow { user_id: string; claimed_at: string }

/** Who holds the lead now: its current assignee, else whoever took it. They (or an approver) may reassign it. */
export function currentOwner(db: Db, leadId: string): string | null {
  return currentAssignment(db, leadId)?.user_id ?? ((db.prepare('SELECT user_id FROM lead_claims WHERE lead_id = ?').pluck().get(leadId) as string | undefined) ?? null);
}

/**
 * "Take this lead": the first click wins (INSERT … ON CONFLICT DO NOTHING RETURNING). The assignee taking
 * their own lead is their first touch (the SLA clock stops); anyone else taking it becomes its owner, and
 * the earlier assignee's round-robin slot is given back. Open to anyone who can see the card.
 */
export function claimLead(db: Db, audit: AuditLog, leadId: string, userId: string, now = Date.now()): ClaimOutcome {
  return db.transaction((): ClaimOutcome => {
    const at = new Date(now).toISOString();
    const won = db
      .prepare('INSERT INTO lead_claims (lead_id, user_id, claimed_at, first_claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (lead_id) DO NOTHING RETURNING user_id')
      .get(leadId, userId, at, at);
    if (!won) {
      const row = db.prepare('SELECT user_id, claimed_at FROM lead_claims WHERE lead_id = ?').get(leadId) as ClaimRow;
      return { outcome: 'already_claimed', lead_id: leadId, by: row.user_id, at: row.claimed_at };
    }
    moveLead(db, audit, { leadId, owner: userId, actor: userId, event: 'lead_claimed', how: 'take this lead', accepted: true, now });
    return { outcome: 'claimed', lead_id: leadId, user_id: userId };
  }).immediate();
}

/** Moves the lead to another owner (the caller checks who may); same owner again changes nothing. The new owner's SLA clock starts now. */
export function reassignLead(db: Db, audit: AuditLog, leadId: string, newOwner: string, actor: string, now = Date.now()): boolean {
  return db.transaction((): boolean => {
    const at = new Date(now).toISOString();
    const changed = db
      .prepare(`INSERT INTO lead_claims (lead_id, user_id, claimed_at, first_claimed_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (lead_id) DO UPDATE SET user_id = excluded.user_id, claimed_at = excluded.claimed_at WHERE user_id != excluded.user_id`)
      .run(leadId, newOwner, at, at).changes > 0;
    if (changed) moveLead(db, audit, { leadId, owner: newOwner, actor, event: 'lead_reassigned', how: 'reassign', accepted: false, now });
    return changed;
  }).immediate();
}

interface Move { leadId: string; owner: string; actor: string; event: string; how: 'take this lead' | 'reassign'; accepted: boolean; now: number }

function moveLead(db: Db, audit: AuditLog, m: Move): void {
  const decision = latestDecision(db, m.leadId);
  if (!decision) throw new AppError('not_found', `lead ${m.leadId} has no decision yet`);
  const base = { lead_id: m.leadId, decision_id: decision.row.id, correlation_id: decision.row.correlation_id };
  const current = currentAssignment(db, m.leadId);
  if (current?.user_id === m.owner) {
    if (m.accepted && markAccepted(db, m.leadId, m.owner, m.how, m.now)) {
      audit.record({ ...base, stage: 'route', event: 'assignment_accepted', actor: m.actor, reason: `${m.owner} took their lead (${m.how}): the SLA clock stops` });
    }
  } else {
    const queue = current?.queue ?? decision.decision.route ?? 'sales';
    const a: Assignment = {
      user: m.owner, queue: queue as Assignment['queue'], pool: current?.pool ?? null, via: 'human', rule: null, rotation: true, candidates: [], alert: null,
      reason: m.how === 'reassign' ? `reassigned by ${m.actor}` : `took the lead (${m.how})`,
    };
    const why = m.how === 'reassign' ? `reassigned by ${m.actor}` : `taken by ${m.owner}`;
    const id = recordAssignment(db, { leadId: m.leadId, decisionId: decision.row.id, assignment: a, now: m.now, endReason: why, credit: current?.user_id ? why : null, accepted: m.accepted ? m.how : null });
    auditAssignment(audit, base, a, id, m.actor);
    // Whoever takes a lead is already looking at it: only a reassigned owner needs a direct message.
    if (m.accepted) enqueueEffect(db, { ...base, kind: 'crm_assign_owner', dedupe_key: `${m.leadId}:crm_assign_owner:a${id}`, payload: { slack_user_id: m.owner } });
    else enqueueAssignmentEffects(db, base, id, a);
  }
  enqueueEffect(db, { ...base, kind: 'slack_update_card', dedupe_key: `${m.leadId}:slack_update_card:${m.event}:${m.now}`, payload: { reason: m.event } });
  audit.record({ ...base, stage: 'review', event: m.event, actor: m.actor, output: { owner: m.owner } });
}

export type AcceptOutcome = { outcome: 'accepted' } | { outcome: 'not_assignee'; owner: string | null } | { outcome: 'already_accepted' };

/** "Accept" on the card: the assignee's first touch, which stops the SLA ladder. Only the current assignee can accept. */
export function acceptLead(db: Db, audit: AuditLog, leadId: string, userId: string, how: 'accept button' | 'thread reply', now = Date.now()): AcceptOutcome {
  return db.transaction((): AcceptOutcome => {
    const current = currentAssignment(db, leadId);
    if (!current || current.user_id !== userId) return { outcome: 'not_assignee', owner: current?.user_id ?? null };
    if (!markAccepted(db, leadId, userId, how, now)) return { outcome: 'already_accepted' };
    const decision = latestDecision(db, leadId);
    if (!decision) throw new AppError('not_found', `lead ${leadId} has no decision yet`);
    const base = { lead_id: leadId, decision_id: decision.row.id, correlation_id: decision.row.correlation_id };
    audit.record({ ...base, stage: 'route', event: 'assignment_accepted', actor: userId, reason: `accepted by ${userId} (${how}): the SLA clock stops` });
    enqueueEffect(db, { ...base, kind: 'slack_update_card', dedupe_key: `${leadId}:slack_update_card:accepted:${current.id}`, payload: { reason: 'accepted' } });
    return { outcome: 'accepted' };
  }).immediate();
}
